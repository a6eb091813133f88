"""Did the deploy land? What each rendered endpoint and inference component must look like, and a
judgement of one Describe reply against it.

The aws provider reports success when SageMaker later rolls an endpoint update back (a failed
health check, a rollback alarm): the endpoint returns to InService on the *old* configuration,
with the reason in FailureReason. So "InService" alone proves nothing; an endpoint has landed when
it is InService, runs the rendered configuration and serves the rendered instance count (or a
count within its autoscaling bounds). An inference component has landed when it is InService,
serves the rendered model and its current copy count equals the desired one, which is the
rendered count or within its autoscaling bounds. A LoRA adapter (an inference component on its
base's copies, with no copies of its own) has landed when it is InService with the rendered
artifact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from ..render.types import Rendered

PENDING, LANDED, ROLLED_BACK, FAILED, TIMED_OUT, MISSING = (
    "pending",
    "landed",
    "rolled back",
    "failed",
    "timed out",
    "missing",
)
FINAL = frozenset({LANDED, ROLLED_BACK, FAILED, MISSING})
# Statuses an endpoint or component does not leave without someone acting.
_BROKEN = frozenset({"Failed", "OutOfService", "UpdateRollbackFailed", "Deleting"})
# Time to provision instances before any model download starts: our allowance, not an AWS figure.
PROVISION_S = 900
# Startup allowance when the spec sets no startup timeouts.
DEFAULT_STARTUP_S = 1200
HASH_SUFFIX = 9  # "-" + 8 hex digits (docs/rendered-format.md)


def log_group(endpoint: str) -> str:
    # An endpoint's container logs, streams [variant]/[instance-id]; for a component we name its
    # pool's group: https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html
    return f"/aws/sagemaker/Endpoints/{endpoint}"


@dataclass(frozen=True)
class Expect:
    """What one rendered resource must look like once the deploy landed."""

    kind: str  # endpoint | component | adapter
    key: str  # metadata.name
    name: str  # SageMaker name
    runs: str  # endpoint: config name; component: model name; adapter: artifact URL
    count: int | None  # instances or copies; None for serverless and adapters
    bounds: tuple[int, int] | None  # autoscaling (or managed instance scaling) min..max
    timeout_s: float
    endpoint: str  # the endpoint (for components: the pool) whose log group has the logs
    hashed_at_plan: bool = False  # name suffix recomputed from secret versions at plan time

    @property
    def label(self) -> str:
        what = {"endpoint": "endpoint", "adapter": "adapter"}.get(self.kind, "inference component")
        return f"{what} {self.name}"


@dataclass(frozen=True)
class Verdict:
    state: str
    status: str
    reason: str | None = None
    serving: int | None = None  # instances or copies in service, once landed


def _startup_s(resource: Mapping[str, Any]) -> float:
    parts = [
        resource.get("model_data_download_timeout_s"),
        resource.get("container_startup_health_check_timeout_s"),
    ]
    set_parts = [float(p) for p in parts if p is not None]
    return sum(set_parts) if set_parts else DEFAULT_STARTUP_S


def _rollout_s(rollout: Mapping[str, Any] | None) -> float:
    """Blue/green waits: one bake per canary or linear step, then the termination wait."""
    if not rollout:
        return 0.0
    steps = 1
    if rollout["traffic_routing"] == "CANARY":
        steps = 2
    elif rollout["traffic_routing"] == "LINEAR" and rollout.get("step_percent"):
        steps = math.ceil(100 / float(rollout["step_percent"]))
    bake = float(rollout.get("wait_s") or 0) * steps + float(rollout.get("termination_wait_s") or 0)
    limit = rollout.get("max_execution_timeout_s")
    return min(bake, float(limit)) if limit else bake


def scaling_bounds(resource: Mapping[str, Any]) -> tuple[int, int] | None:
    """(min, max) of an endpoint's or component's autoscaling, else of its managed instance scaling."""
    scaling = resource.get("autoscaling")
    if scaling:
        return int(scaling["min_capacity"]), int(scaling["max_capacity"])
    managed = resource.get("managed_instance_scaling")
    if managed:
        return int(managed["min_instances"]), int(managed["max_instances"])
    return None


def expectations(rendered: Rendered, outputs: dict[str, dict[str, str]] | None = None) -> list[Expect]:
    """Endpoints first, then inference components; `outputs` (terraform output -json values) gives
    exact applied names where the render cannot know them."""
    outputs = outputs or {}
    applied_configs = outputs.get("endpoint_config_names", {})
    applied_models = outputs.get("model_names", {})
    models = rendered["models"]
    found: list[Expect] = []
    endpoints = rendered["endpoints"]
    for key, ep in sorted(endpoints.items()):
        model = models.get(ep.get("model_key") or "")
        serverless = ep["type"] == "serverless"
        found.append(
            Expect(
                "endpoint",
                key,
                ep["name"],
                applied_configs.get(key, ep["config_name"]),
                # the renderer sets the count on every endpoint but a serverless one
                None if serverless else int(cast(int, ep["initial_instance_count"])),
                None if serverless else scaling_bounds(ep),
                PROVISION_S + _startup_s(ep) + _rollout_s(ep.get("rollout")),
                ep["name"],
                bool(model and model.get("secret_environment")) and key not in applied_configs,
            )
        )
    for key, ic in sorted(rendered["inference_components"].items()):
        model = models[ic["model_key"]]
        found.append(
            Expect(
                "component",
                key,
                ic["name"],
                applied_models.get(ic["model_key"], model["name"]),
                int(ic["copies"]),
                scaling_bounds(ic),
                PROVISION_S + _startup_s(ic),
                endpoints[ic["endpoint_key"]]["name"],
                bool(model.get("secret_environment")) and ic["model_key"] not in applied_models,
            )
        )
    for key, adapter in sorted((rendered.get("inference_component_adapters") or {}).items()):
        base = rendered["inference_components"][adapter["base_key"]]
        found.append(
            Expect(
                "adapter",
                key,
                adapter["name"],
                adapter["artifact_url"],
                None,
                None,
                PROVISION_S + _startup_s(base),  # it waits for its base's copies
                endpoints[adapter["endpoint_key"]]["name"],
            )
        )
    return found


def _same_name(expect: Expect, live: str | None) -> bool:
    if live is None:
        return False
    if expect.hashed_at_plan:  # only the stable part is known before the plan
        return live[:-HASH_SUFFIX] == expect.runs[:-HASH_SUFFIX]
    return live == expect.runs


def _count_problem(expect: Expect, current: Any, desired: Any, unit: str) -> str | None:
    """Why the serving count is not (yet) right, or None."""
    if current is None and desired is None:
        return None
    if current != desired:
        return f"{current} of {desired} {unit} in service"
    if expect.bounds is not None:
        low, high = expect.bounds
        return None if low <= int(desired) <= high else f"{desired} {unit}, outside the bounds {low}..{high}"
    return None if desired == expect.count else f"{desired} {unit}, rendered {expect.count}"


def _variant(reply: dict[str, Any]) -> dict[str, Any]:
    variants = reply.get("ProductionVariants") or [{}]
    return dict(variants[0])


def _rollback_alarms(reply: dict[str, Any]) -> str:
    config = (reply.get("LastDeploymentConfig") or {}).get("AutoRollbackConfiguration") or {}
    alarms = [a.get("AlarmName", "") for a in config.get("Alarms", [])]
    return f" (rollback alarms: {', '.join(alarms)})" if alarms else ""


def _unsettled(expect: Expect, reply: dict[str, Any] | None, status_field: str, noun: str) -> Verdict | None:
    """MISSING, FAILED or PENDING while the resource is absent, broken or not yet InService; None
    once it is in service and its configuration can be judged."""
    if reply is None:
        return Verdict(MISSING, "NotFound", f"{expect.label} does not exist (was the apply run?)")
    status, reason = str(reply[status_field]), reply.get("FailureReason")
    if status in _BROKEN:
        return Verdict(FAILED, status, reason or f"{noun} is {status}")
    if status != "InService":
        return Verdict(PENDING, status, reason)
    return None


def judge_endpoint(expect: Expect, reply: dict[str, Any] | None) -> Verdict:
    early = _unsettled(expect, reply, "EndpointStatus", "endpoint")
    if early is not None:
        return early
    assert reply is not None  # else _unsettled said MISSING
    status, reason = "InService", reply.get("FailureReason")
    running = reply.get("EndpointConfigName")
    if not _same_name(expect, running):
        what = f"runs endpoint config {running}, rendered {expect.runs}"
        if reason:
            return Verdict(ROLLED_BACK, status, f"{what}: {reason}{_rollback_alarms(reply)}")
        return Verdict(ROLLED_BACK, status, f"{what}: the update did not land (rolled back, or not applied)")
    variant = _variant(reply)
    current = variant.get("CurrentInstanceCount")
    problem = _count_problem(expect, current, variant.get("DesiredInstanceCount"), "instances")
    return Verdict(PENDING, status, problem) if problem else Verdict(LANDED, status, None, current)


def judge_component(expect: Expect, reply: dict[str, Any] | None) -> Verdict:
    early = _unsettled(expect, reply, "InferenceComponentStatus", "inference component")
    if early is not None:
        return early
    assert reply is not None  # else _unsettled said MISSING
    status, reason = "InService", reply.get("FailureReason")
    model = (reply.get("Specification") or {}).get("ModelName")
    if not _same_name(expect, model):
        what = f"serves model {model}, rendered {expect.runs}"
        detail = reason or "the update did not land (rolled back, or not applied)"
        return Verdict(ROLLED_BACK, status, f"{what}: {detail}{_rollback_alarms(reply)}")
    runtime = reply.get("RuntimeConfig") or {}
    current = runtime.get("CurrentCopyCount")
    problem = _count_problem(expect, current, runtime.get("DesiredCopyCount"), "copies")
    return Verdict(PENDING, status, problem) if problem else Verdict(LANDED, status, None, current)


def judge_adapter(expect: Expect, reply: dict[str, Any] | None) -> Verdict:
    """An adapter runs in its base's copies: no model and no copy count of its own, only the
    artifact it loads (Specification.Container.ArtifactUrl of DescribeInferenceComponent)."""
    early = _unsettled(expect, reply, "InferenceComponentStatus", "adapter")
    if early is not None:
        return early
    assert reply is not None  # else _unsettled said MISSING
    status, reason = "InService", reply.get("FailureReason")
    artifact = ((reply.get("Specification") or {}).get("Container") or {}).get("ArtifactUrl")
    if artifact != expect.runs:
        detail = reason or "the update did not land (rolled back, or not applied)"
        return Verdict(ROLLED_BACK, status, f"loads {artifact}, rendered {expect.runs}: {detail}")
    return Verdict(LANDED, status)
