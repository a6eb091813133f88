"""Assemble a review: both sides, the spec diff, and per environment the resource changes, cost
and policy results."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from ..findings import Finding
from ..layout import rendered_path
from ..render.renderer import to_text
from ..render.types import Rendered
from ..spec.protection import is_protected
from ..terraform.offline import SOURCE_TERRAFORM, EnvPlan, OfflinePlanner
from ..terraform.workspace import hcl_digest
from . import base_ref, costing, downtime, plan_changes, policy_check, price_sources, sides, spec_diff
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


def build_review(
    root: Path, ref: str | None = None, plans: Mapping[str, Path] | None = None, live: bool = False
) -> Review:
    """The review of the working tree against `ref`; `plans` maps an environment to the JSON of a real
    `terraform show -json` plan to use instead of the offline plan; `live` adds what runs now (AWS)."""
    ref = ref or base_ref.default_ref(root)
    real = {env: load_plan(env, path) for env, path in (plans or {}).items()}
    with base_ref.checkout(root, ref) as tree:  # git problems surface first, before any rendering
        head = sides.head_side(root)
        base = sides.base_side(tree.root, tree.label)
        notes = [*tree.notes, *base.notes, *head.notes]
        specs = spec_diff.diff_specs(base, head)
        names = sorted(set(base.envs) | set(head.envs))
        unknown = sorted(set(real) - set(names))
        if unknown:
            raise SagespecError(
                f"--plan names {', '.join(unknown)}, which is no environment of this repository",
                f"environments: {', '.join(names)}",
            )
        with OfflinePlanner() as planner:
            envs = [_env_review(root, tree.root, env, base, head, planner, real.get(env)) for env in names]
    used = [r for side in (base, head) for r in side.rendered.values()]
    review = Review(
        ref,
        tree.commit,
        HEAD_LABEL,
        specs,
        envs,
        [*head.findings, *_downtime_refusals(head, envs)],
        price_sources.price_sources(used),
        price_sources.assumptions(),
        notes,
    )
    if live:  # --live: AWS calls, kept in ops/ (boto3 loads only here)
        from ..ops import livecap

        review.live = livecap.markdown_blocks(*livecap.collect(base.rendered, head.rendered))
    return review


def _downtime_refusals(head: Side, envs: list[EnvReview]) -> list[Finding]:
    """E801 for each spec whose endpoint or inference component a protected environment's plan
    takes down, unless the spec allows it (downtime.py)."""
    if head.project is None:
        return []
    found: list[Finding] = []
    for env in envs:
        if env.protected and env.env in head.envs and env.changes:
            found += downtime.refusals(env.env, env.changes, head.project.resolve(env.env))
    return found


def load_plan(env: str, path: Path) -> EnvPlan:
    """A real plan's JSON (`terraform show -json plan.tfplan`), given with --plan ENV=PATH."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SagespecError(
            f"--plan {env}={path}: cannot read plan JSON ({exc})",
            "pass the output of `terraform show -json plan.tfplan`",
        ) from None
    if not isinstance(data, dict) or ("resource_changes" not in data and "format_version" not in data):
        raise SagespecError(
            f"--plan {env}={path}: not the JSON of a Terraform plan",
            "pass the output of `terraform show -json plan.tfplan`",
        )
    return EnvPlan(env, SOURCE_TERRAFORM, data, None)


def _plan(
    planner: OfflinePlanner, root: Path, base_root: Path | None, env: str, old: Any, new: Any
) -> EnvPlan | None:
    """The offline plan, or None when neither the render nor the HCL changed (nothing to plan)."""
    same_hcl = base_root is not None and hcl_digest(base_root) == hcl_digest(root)
    if old == new and same_hcl:
        return None
    return planner.plan_env(env, base_root if old is not None else None, root, old, new)


def _env_review(
    root: Path,
    base_root: Path | None,
    env: str,
    base: Side,
    head: Side,
    planner: OfflinePlanner,
    real: EnvPlan | None,
) -> EnvReview:
    old, new = base.rendered.get(env), head.rendered.get(env)
    removed = env not in head.envs
    target = None if removed else new
    known = removed or new is not None
    plan = real or (_plan(planner, root, base_root, env, old, target) if known else None)
    changes = plan_changes.from_plan(plan.plan) if plan is not None else []
    status = _status(env, base, head, changes)
    cost = costing.env_cost_diff(env, old, _emptied(old) if removed and old is not None else new)
    policy = _policy(env, head if not removed else base)
    budgets = policy_check.model_budgets(head.project, env)
    checks = [] if removed else policy_check.check_env(env, policy, new, cost, head.findings, budgets)
    current = None if new is None else _is_current(root, env, new)
    notes = (
        []
        if current in (None, True)
        else [
            f"envs/{env}/rendered.tfvars.json is stale or missing: run `make render ENV={env}` and commit it"
        ]
    )
    if plan is not None and plan.source == SOURCE_TERRAFORM:
        notes.append(f"resource changes are from the Terraform plan given with --plan {env}=…")
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
        plan_source=plan.source if plan is not None else None,
        plan_scope=plan.scope if plan is not None else None,
    )


def _status(env: str, base: Side, head: Side, changes: list[plan_changes.ExplainedChange]) -> str:
    if env not in head.envs:
        return ENV_REMOVED
    if env not in head.rendered:
        return ENV_UNKNOWN
    if env not in base.envs:
        return ENV_ADDED
    return ENV_CHANGED if changes else ENV_UNCHANGED


def _emptied(rendered: Rendered) -> Rendered:
    """What an environment that is gone renders to: nothing, in the same account and region."""
    emptied = copy.copy(rendered)
    emptied["models"], emptied["endpoints"] = {}, {}
    emptied["inference_components"], emptied["inference_component_adapters"] = {}, {}
    return emptied


def _policy(env: str, side: Side) -> dict[str, Any]:
    project = side.project
    source = project.environments.get(env) if project is not None else None
    spec = source.data.get("spec") if source is not None else None
    policy = spec.get("policy") if isinstance(spec, dict) else None
    return policy if isinstance(policy, dict) else {}


def _is_current(root: Path, env: str, rendered: Rendered) -> bool:
    path = rendered_path(root, env)
    try:
        return path.read_text(encoding="utf-8") == to_text(rendered)
    except OSError:
        return False
