"""E801: in a protected environment, a plan that deletes an endpoint or inference component and
creates it again (downtime) is refused unless its spec says `rollout.allow_downtime: true`.

Shared by `sagespec review` (the offline plan, or a real one given with --plan) and `sagespec plan`
(the real plan): both read Terraform's plan through review.plan_changes, which marks such changes
`disruptive`. The permission is read from the spec as the environment sees it (an
`environments.<env>` overlay may set it for one environment); it is never rendered.

Not refused: deleting what the head no longer has in that environment (a spec removed, renamed or
disabled there): that is what the change asks for, and the review's cautions name it. Outcomes per
change, with sources: docs/updates.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..findings import Finding
from ..spec.project import Resolution, Resolved
from .plan_changes import CREATE, DESTROY, REPLACE, ExplainedChange

CODE = "E801"
SERVING = ("aws_sagemaker_endpoint", "awscc_sagemaker_inference_component")
_ALLOW = ("rollout", "allow_downtime")
_DOCS = "docs/updates.md"


@dataclass(frozen=True)
class Cause:
    field: tuple[str, ...]  # under `spec`, where the spec asks for the change
    why: str  # what SageMaker or the provider cannot do in place
    instead: str  # the way without downtime


_ALARMS = Cause(
    ("deployment", "rollout", "rollback_alarms"),
    "rollback alarms added or all removed, for which the aws provider replaces the endpoint",
    "keep the endpoint's alarm list non-empty (renaming alarms updates it in place)",
)
_KIND = Cause(
    ("deployment", "type"),
    "a change between serverless, async and real-time, which UpdateEndpoint cannot make",
    "serve the new kind from a second spec, move clients to it, then remove this one",
)
_POOL = Cause(
    ("deployment", "endpoint"),
    "another pool, which UpdateInferenceComponent cannot move it to; clients must call the new pool's "
    "endpoint name",
    "add a second spec on the new pool, move clients to it, then remove this one",
)
_BASE = Cause(
    ("deployment", "base"),
    "another base or pool, which an adapter cannot follow in place",
    "add a second adapter spec on the new base, move clients to it, then remove this one",
)
_OTHER = Cause(
    ("deployment",),
    "the plan replaces it: an HCL change, or an attribute that cannot change in place",
    "change the HCL or the spec so Terraform updates it in place",
)
_TRIGGERS = {"kind": _KIND, "invocation": _KIND, "placement": _POOL}


def refusals(env: str, changes: Iterable[ExplainedChange], resolution: Resolution) -> list[Finding]:
    """One E801 per spec whose endpoint or inference component the plan takes down in `env` (callers
    ask only for protected environments)."""
    found: dict[str, Finding] = {}
    for change in changes:
        spec = _spec_of(change, resolution)
        if spec is None or spec.name in found or not _takes_down(change) or _allowed(spec):
            continue
        found[spec.name] = _finding(env, spec, change, _cause(change))
    return list(found.values())


def _takes_down(change: ExplainedChange) -> bool:
    """Deleted and created again (a replacement, or a same-name move across addresses), or deleted
    while its spec stays (say, realtime turned into an inference component)."""
    return change.type in SERVING and change.disruptive and change.action in (REPLACE, CREATE, DESTROY)


def _spec_of(change: ExplainedChange, resolution: Resolution) -> Resolved | None:
    if change.type not in SERVING or not change.key:
        return None
    if change.module == "endpoint":
        return resolution.models.get(change.key) or resolution.endpoints.get(change.key)
    if change.module in ("inference_component", "inference_component_adapter"):
        return resolution.models.get(change.key)
    return None


def _allowed(spec: Resolved) -> bool:
    rollout = _rollout(spec)
    return isinstance(rollout, dict) and rollout.get(_ALLOW[1]) is True


def _rollout(spec: Resolved) -> object:
    if spec.kind == "Endpoint":
        return spec.spec.get(_ALLOW[0])
    deployment = spec.spec.get("deployment")
    return deployment.get(_ALLOW[0]) if isinstance(deployment, dict) else None


def _cause(change: ExplainedChange) -> Cause:
    if any("auto_rollback_configuration" in path for path in change.replace_paths):
        return _ALARMS
    for name in change.triggers:
        if name in _TRIGGERS:
            return _BASE if change.module == "inference_component_adapter" else _TRIGGERS[name]
    if change.action in (CREATE, DESTROY):  # the spec's resource moved to another module (its type)
        return _KIND
    return _OTHER


def _finding(env: str, spec: Resolved, change: ExplainedChange, cause: Cause) -> Finding:
    field = ("spec",) if spec.kind == "Endpoint" and cause is _OTHER else ("spec", *cause.field)
    line, col = spec.locate(field)
    where = "spec.rollout" if spec.kind == "Endpoint" else "spec.deployment.rollout"
    return Finding(
        spec.file,
        line,
        col,
        "error",
        CODE,
        f"in protected environment {env} this change deletes the {change.resource} and creates it "
        f"again, DOWNTIME until it is InService: {cause.why}",
        ".".join(field),
        f"set rollout.allow_downtime: true in {spec.file} ({where}; under environments.{env} for "
        f"{env} only) to accept, or {cause.instead} ({_DOCS})",
        envs=(env,),
    )
