"""Both sides of a review, loaded, validated and rendered by the same (current) code.

The head is the working tree; its findings decide the exit code. The base is what the ref
holds: when it does not validate in an environment, the review falls back to the base's
committed envs/<env>/rendered.tfvars.json, and says so. Model weights are never in git, so the
base's artifacts come from its committed lock (I701), and a base whose only errors are about
absent local files is not called invalid: its committed render stands for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .. import pipeline
from ..artifacts import lockfile
from ..errors import SagespecError
from ..findings import Finding
from ..layout import rendered_path
from ..render.types import Rendered
from ..spec.project import Project, load_project

RENDERED = "render"  # how a side's env was obtained: rendered now ...
COMMITTED = "committed"  # ... or read from the committed rendered.tfvars.json
# Findings about a model's local files: a base tree from git lacks the (git-ignored) weights.
FILE_CODES = frozenset({"E701", "E702", "E703"})


@dataclass
class Side:
    label: str
    project: Project | None = None
    findings: list[Finding] = field(default_factory=list)
    rendered: dict[str, Rendered] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # env -> RENDERED | COMMITTED
    envs: list[str] = field(default_factory=list)
    lock: dict[str, Any] = field(default_factory=dict)  # raw artifact lock entries, for the spec diff
    notes: list[str] = field(default_factory=list)


def head_side(root: Path) -> Side:
    project = load_project(root)
    outcome = pipeline.check(project)  # SagespecError (no environments) is a usage error of the head: exit 2
    side = Side("head", project, outcome.findings, dict(outcome.rendered), envs=project.env_names)
    side.origin = dict.fromkeys(outcome.rendered, RENDERED)
    side.lock = lockfile.read_raw_lock(root)
    for env in side.envs:
        if env not in side.rendered:
            side.notes.append(f"{env}: the head does not validate, so its resources and cost are not known")
    return side


def empty_side(label: str, note: str | None = None) -> Side:
    return Side(label, notes=[note] if note else [])


def base_side(root: Path | None, label: str) -> Side:
    if root is None:
        return empty_side(label)
    project = load_project(root)
    side = Side(label, project, envs=project.env_names, lock=lockfile.read_raw_lock(root))
    try:
        outcome = pipeline.check(project)
    except SagespecError as exc:
        side.notes.append(f"base {label} cannot be validated ({exc.message})")
    except Exception as exc:  # an old base the current code cannot read must not block the review
        side.notes.append(
            f"base {label} cannot be validated by this version of sagespec ({type(exc).__name__}: {exc})"
        )
    else:
        side.findings = outcome.findings
        side.rendered = dict(outcome.rendered)
        side.origin = dict.fromkeys(outcome.rendered, RENDERED)
        _note_locked(side, label)
    for env in side.envs:
        if env not in side.rendered:
            _fall_back(side, root, env, _only_file_errors(side.findings, env))
    return side


def _note_locked(side: Side, label: str) -> None:
    models = sorted({f.file for f in side.findings if f.code == "I701"})
    if models:
        side.notes.append(
            f"base {label}: model files are not in git ({', '.join(models)}): "
            f"their artifacts come from the base's committed {lockfile.LOCK_FILE}"
        )


def _only_file_errors(findings: list[Finding], env: str) -> bool:
    errors = [f for f in findings if f.severity == "error" and (not f.envs or env in f.envs)]
    return bool(errors) and all(f.code in FILE_CODES for f in errors)


def _fall_back(side: Side, root: Path, env: str, files_only: bool = False) -> None:
    """Use the base's committed render of an env that does not validate with the current code."""
    path = rendered_path(root, env)
    try:
        committed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        committed = None
    if isinstance(committed, dict) and isinstance(committed.get("endpoints"), dict):
        # a base's committed file may predate today's format: the review's readers use .get for
        # anything added since, and Terraform itself validates what it plans
        side.rendered[env], side.origin[env] = cast(Rendered, committed), COMMITTED
        why = (
            "the base's model files are not in git and its lock does not cover them"
            if files_only
            else "the base does not validate with the current code"
        )
        side.notes.append(f"{env}: {why}; compared with the base's committed envs/{env}/rendered.tfvars.json")
    else:
        side.notes.append(
            f"{env}: the base does not validate and has no committed rendered.tfvars.json; "
            "its resources are treated as absent (everything in the head shows as created)"
        )
