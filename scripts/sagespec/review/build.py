"""Assemble a review: both sides, the spec diff, and per environment the resource changes, cost
and policy results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..protection import is_protected
from ..render import rendered_path, to_text
from . import base_ref, costing, policy_check, resource_diff, sides, spec_diff
from .model import (
    ENV_ADDED,
    ENV_CHANGED,
    ENV_REMOVED,
    ENV_UNCHANGED,
    ENV_UNKNOWN,
    EnvReview,
    Review,
)
from .sides import Side

HEAD_LABEL = "working tree"


def build_review(root: Path, ref: str | None = None) -> Review:
    ref = ref or base_ref.default_ref(root)
    with base_ref.checkout(root, ref) as tree:  # git problems surface first, before any rendering
        head = sides.head_side(root)
        base = sides.base_side(tree.root, tree.label)
        notes = [*tree.notes, *base.notes, *head.notes]
        specs = spec_diff.diff_specs(base, head)
        envs = [_env_review(root, env, base, head) for env in sorted(set(base.envs) | set(head.envs))]
    used = [r for side in (base, head) for r in side.rendered.values()]
    return Review(
        ref,
        tree.commit,
        HEAD_LABEL,
        specs,
        envs,
        head.findings,
        costing.price_sources(used),
        costing.assumptions(),
        notes,
    )


def _env_review(root: Path, env: str, base: Side, head: Side) -> EnvReview:
    old, new = base.rendered.get(env), head.rendered.get(env)
    removed = env not in head.envs
    target = _emptied(old) if removed and old is not None else new
    changes = resource_diff.diff_env(old, target) if target is not None else []
    status = _status(env, base, head, changes)
    cost = costing.env_cost_diff(env, old, target)
    policy = _policy(env, head if not removed else base)
    checks = [] if removed else policy_check.check_env(env, policy, new, cost, head.findings)
    current = None if new is None else _is_current(root, env, new)
    notes = (
        []
        if current in (None, True)
        else [
            f"envs/{env}/rendered.tfvars.json is stale or missing: run `make render ENV={env}` and commit it"
        ]
    )
    return EnvReview(
        env,
        is_protected(env, policy),
        status,
        base.origin.get(env),
        new is not None,
        changes,
        cost,
        checks,
        current,
        notes,
    )


def _status(env: str, base: Side, head: Side, changes: list[resource_diff.ResourceChange]) -> str:
    if env not in head.envs:
        return ENV_REMOVED
    if env not in head.rendered:
        return ENV_UNKNOWN
    if env not in base.envs:
        return ENV_ADDED
    return ENV_CHANGED if changes else ENV_UNCHANGED


def _emptied(rendered: dict[str, Any]) -> dict[str, Any]:
    """What an environment that is gone renders to: nothing, in the same account and region."""
    return {
        "environment": rendered.get("environment"),
        "aws": rendered.get("aws"),
        "models": {},
        "endpoints": {},
        "inference_components": {},
    }


def _policy(env: str, side: Side) -> dict[str, Any]:
    project = side.project
    source = project.environments.get(env) if project is not None else None
    spec = source.data.get("spec") if source is not None else None
    policy = spec.get("policy") if isinstance(spec, dict) else None
    return policy if isinstance(policy, dict) else {}


def _is_current(root: Path, env: str, rendered: dict[str, Any]) -> bool:
    path = rendered_path(root, env)
    try:
        return path.read_text(encoding="utf-8") == to_text(rendered)
    except OSError:
        return False
