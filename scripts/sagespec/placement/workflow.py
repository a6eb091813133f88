"""`sagespec place`'s workflow: check the environment, then solve its placement at least cost."""

from __future__ import annotations

from dataclasses import dataclass

from .. import pipeline
from ..findings import Finding, has_errors
from ..spec.project import Project, Resolution
from . import fleet, milp, problem
from .layout import Placement

# pools too small for their copies, and the cost they cause, are what a placement fixes
PLACEMENT_FIXES = {"E404", "E405", "E406", "W405", "E602"}


@dataclass(frozen=True, kw_only=True)
class Placed:
    resolution: Resolution
    choice: Placement | None  # None: the environment has no inference components
    current_usd_per_hour: float | None


def blocking_findings(project: Project, env: str) -> tuple[list[Finding], int]:
    """The errors a placement cannot fix (and the file count, for the report)."""
    checked = pipeline.check(project, [env], render=False)
    blocking = [f for f in checked.findings if f.code not in PLACEMENT_FIXES]
    return (blocking if has_errors(blocking) else []), checked.files


def place(project: Project, env: str, max_copies: bool, time_limit_s: float) -> Placed:
    resolution = project.resolve(env)
    env_spec = resolution.environment.spec
    region = str(env_spec["aws"]["region"])
    allowed = env_spec.get("policy", {}).get("allowed_instance_types")
    found = fleet.components(resolution, max_copies)
    if not found:
        return Placed(resolution=resolution, choice=None, current_usd_per_hour=None)
    choice = milp.solve(found, problem.options(region, list(allowed) if allowed else None), time_limit_s)
    current = fleet.current_usd_per_hour(resolution, region)
    return Placed(resolution=resolution, choice=choice, current_usd_per_hour=current)
