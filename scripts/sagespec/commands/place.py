"""`sagespec place --env E`: the pools and the assignment of inference components that cost least."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .. import pipeline
from ..findings import has_errors
from ..placement import fleet, milp, problem
from ..placement.layout import Placement
from ..spec.project import Resolution
from .common import print_findings, project_from

# pools too small for their copies, and the cost they cause, are what a placement fixes
PLACEMENT_FIXES = {"E404", "E405", "E406", "W405", "E602"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True, help="environment (a folder under envs/)")
    parser.add_argument(
        "--max-copies", action="store_true", help="place every component at its autoscaling max_copies"
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="solver time limit (60 s)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    outcome = pipeline.check(project, [args.env], render=False)
    blocking = [f for f in outcome.findings if f.code not in PLACEMENT_FIXES]
    if has_errors(blocking):
        print_findings(blocking, outcome.files, "text")
        print("sagespec place: fix the spec errors first", file=sys.stderr)
        return 1
    resolution = project.resolve(args.env)
    env_spec = resolution.environment.spec
    region = str(env_spec["aws"]["region"])
    allowed = env_spec.get("policy", {}).get("allowed_instance_types")
    found = fleet.components(resolution, args.max_copies)
    if not found:
        print(f"{args.env} has no inference components to place")
        return 0
    choice = milp.solve(found, problem.options(region, list(allowed) if allowed else None), args.time_limit)
    current = fleet.current_usd_per_hour(resolution, region)
    if args.format == "json":
        sys.stdout.write(json.dumps(_json(resolution, choice, current), indent=2) + "\n")
    else:
        _print_text(args.env, resolution, choice, current)
    return 0


def _json(resolution: Resolution, choice: Placement, current: float | None) -> dict[str, Any]:
    names = fleet.pool_names(resolution, choice)
    pools = [
        {
            "name": names[t],
            "instance_type": t,
            "instance_count": n,
            "usd_per_hour": round(n * _price(choice, t), 4),
        }
        for t, n in choice.pools().items()
    ]
    return {
        "pools": pools,
        "assignment": {c: names[t] for c, t in sorted(choice.assignment.items())},
        "usd_per_hour": round(choice.usd_per_hour, 4),
        "current_usd_per_hour": None if current is None else round(current, 4),
        "solver": {"status": choice.status, "seconds": round(choice.seconds, 3)},
        "changes": [vars(c) for c in fleet.changes(resolution, choice)],
    }


def _price(choice: Placement, instance_type: str) -> float:
    return next(i.option.usd_per_hour for i in choice.instances if i.option.type == instance_type)


def _print_text(env: str, resolution: Resolution, choice: Placement, current: float | None) -> None:
    names = fleet.pool_names(resolution, choice)
    now = "no price" if current is None else f"${current:,.2f}/hour"
    print(
        f"{env}: {len(choice.assignment)} inference components on {len(choice.pools())} pool(s) for "
        f"${choice.usd_per_hour:,.2f}/hour (now {now}); solver {choice.status} in {choice.seconds:.2f} s"
    )
    for instance_type, count in choice.pools().items():
        members = sorted(c for c, t in choice.assignment.items() if t == instance_type)
        print(f"  pool {names[instance_type]}: {count} x {instance_type}  <- {', '.join(members)}")
    changed = fleet.changes(resolution, choice)
    if not changed:
        print("spec changes: none (the specs already place the components at least cost)")
        return
    print(f"spec changes (in `environments.{env}` to change only this environment):")
    for change in changed:
        before = "" if change.before is None else f"{change.before} -> "
        after = "" if change.after is None else str(change.after)
        print(f"  {change.file}: {change.field}: {before}{after}")
