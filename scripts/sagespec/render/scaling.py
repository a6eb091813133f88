"""Autoscaling and rollout blocks of a rendered endpoint or inference component.

Python decides every default here (docs/rendered-format.md), so the HCL has none of its own.
"""

from __future__ import annotations

from typing import Any

from .types import Autoscaling, Rollout

DEFAULT_SCALE_IN_S, DEFAULT_SCALE_OUT_S = 300, 60
DEFAULT_ROLLOUT_WAIT_S = 300
TRAFFIC_ROUTING = {"all-at-once": "ALL_AT_ONCE", "canary": "CANARY", "linear": "LINEAR"}

# deployment type -> (scalable dimension, min key, max key, target key, predefined metric, custom metric)
_SCALING = {
    "realtime": (
        "sagemaker:variant:DesiredInstanceCount",
        "min_instances",
        "max_instances",
        "target_invocations_per_instance",
        "SageMakerVariantInvocationsPerInstance",
        None,
    ),
    "async": (
        "sagemaker:variant:DesiredInstanceCount",
        "min_instances",
        "max_instances",
        "target_backlog_per_instance",
        None,
        "ApproximateBacklogSizePerInstance",
    ),
    "serverless": (
        "sagemaker:variant:DesiredProvisionedConcurrency",
        "min_provisioned_concurrency",
        "max_provisioned_concurrency",
        "target_utilization",
        "SageMakerVariantProvisionedConcurrencyUtilization",
        None,
    ),
    "inference-component": (
        "sagemaker:inference-component:DesiredCopyCount",
        "min_copies",
        "max_copies",
        "target_invocations_per_copy",
        "SageMakerInferenceComponentInvocationsPerCopy",
        None,
    ),
}


def autoscaling(kind: str, scaling: dict[str, Any] | None) -> Autoscaling | None:
    if not scaling:
        return None
    dimension, low, high, target, predefined, custom = _SCALING[kind]
    return Autoscaling(
        scalable_dimension=dimension,
        min_capacity=scaling[low],
        max_capacity=scaling[high],
        target_value=scaling[target],
        predefined_metric=predefined,
        custom_metric_name=custom,
        scale_in_cooldown_s=scaling.get("scale_in_cooldown_s", DEFAULT_SCALE_IN_S),
        scale_out_cooldown_s=scaling.get("scale_out_cooldown_s", DEFAULT_SCALE_OUT_S),
        # From 0, target tracking has no traffic metric to act on: a step policy on an alarm must
        # add the first instance (async) or copy (inference components), see docs/rendered-format.md.
        scale_from_zero=kind in ("async", "inference-component") and scaling[low] == 0,
    )


def rollout(spec: dict[str, Any] | None) -> Rollout | None:
    # allow_downtime alone is a review-time permission (docs/updates.md): no deployment_config
    if not spec or "strategy" not in spec:
        return None
    return Rollout(
        traffic_routing=TRAFFIC_ROUTING[spec["strategy"]],
        step_percent=spec.get("canary_percent", spec.get("linear_step_percent")),
        wait_s=spec.get("wait_s", DEFAULT_ROLLOUT_WAIT_S),
        termination_wait_s=spec.get("termination_wait_s", 0),
        max_execution_timeout_s=spec.get("max_execution_timeout_s"),
        rollback_alarms=list(spec.get("rollback_alarms", [])),
    )
