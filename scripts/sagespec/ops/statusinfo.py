"""What SageMaker says about every endpoint and inference component an environment renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..aws import error_code
from ..render.types import Endpoint, InferenceComponent
from . import components
from .deployed_env import DeployedEnv
from .waiting import not_found

MAX_RESOURCE_IDS = 50  # describe_scalable_targets takes at most 50 ResourceIds per call


@dataclass
class Row:
    kind: str  # endpoint | pool | component
    key: str  # metadata.name in the specs
    name: str  # SageMaker name
    status: str
    instance_type: str | None = None
    instances: str | None = None  # "current/desired"
    copies: str | None = None  # inference components: "current/desired"
    autoscaling: str | None = None  # "min-max"
    updated: str | None = None
    reason: str | None = None  # failure reason, or a note such as a config not applied yet
    scaling_id: str | None = None  # Application Auto Scaling resource id

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("scaling_id")
        return data


def _when(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else None


def _pair(current: Any, desired: Any) -> str | None:
    return None if current is None and desired is None else f"{_or(current)}/{_or(desired)}"


def _or(value: Any) -> str:
    return "-" if value is None else str(value)


def _variant(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next((v for v in items if v.get("VariantName") == name), items[0] if items else {})


def endpoint_row(sm: Any, key: str, rendered: Endpoint) -> Row:
    kind = "pool" if rendered["type"] == "pool" else "endpoint"
    row = Row(
        kind,
        key,
        rendered["name"],
        "NotFound",
        rendered.get("instance_type"),
        scaling_id=f"endpoint/{rendered['name']}/variant/{rendered['variant_name']}",
    )
    try:
        live = sm.describe_endpoint(EndpointName=rendered["name"])
    except ClientError as exc:
        if not_found(exc):
            row.reason = "not created yet (apply pending?)"
            return row
        row.status, row.reason = "Error", f"{error_code(exc)}: {exc}"
        return row
    variant = _variant(live.get("ProductionVariants", []), rendered["variant_name"])
    row.status, row.updated = live["EndpointStatus"], _when(live.get("LastModifiedTime"))
    row.instances = _pair(variant.get("CurrentInstanceCount"), variant.get("DesiredInstanceCount"))
    serverless = variant.get("CurrentServerlessConfig")
    if serverless:
        row.instance_type = f"serverless {serverless.get('MemorySizeInMB')} MB"
        row.instances = f"max concurrency {serverless.get('MaxConcurrency')}"
    else:
        row.instance_type = _instance_type(sm, live.get("EndpointConfigName"), rendered) or row.instance_type
    row.reason = live.get("FailureReason")
    if live.get("EndpointConfigName") not in (None, rendered["config_name"]) and not row.reason:
        row.reason = f"runs {live['EndpointConfigName']}; rendered {rendered['config_name']} (apply pending?)"
    return row


def _instance_type(sm: Any, config_name: str | None, rendered: Endpoint) -> str | None:
    if not config_name:
        return None
    try:
        config = sm.describe_endpoint_config(EndpointConfigName=config_name)
    except ClientError:
        return None  # the config can be gone while the endpoint still runs it
    return _variant(config.get("ProductionVariants", []), rendered["variant_name"]).get("InstanceType")


def component_row(sm: Any, key: str, rendered: InferenceComponent, endpoint_name: str) -> Row:
    row = Row(
        "component", key, rendered["name"], "NotFound", scaling_id=f"inference-component/{rendered['name']}"
    )
    try:
        live = components.describe_component(sm, rendered["name"])
    except ClientError as exc:
        row.status, row.reason = "Error", f"{error_code(exc)}: {exc}"
        return row
    if live is None:
        row.reason = f"not created yet on {endpoint_name} (apply pending?)"
        return row
    runtime = live.get("RuntimeConfig") or {}
    row.status, row.updated = live["InferenceComponentStatus"], _when(live.get("LastModifiedTime"))
    row.copies = _pair(runtime.get("CurrentCopyCount"), runtime.get("DesiredCopyCount"))
    row.reason = live.get("FailureReason")
    row.instance_type = f"on {live.get('EndpointName', endpoint_name)}"
    return row


def add_autoscaling(autoscaling: Any, rows: list[Row]) -> None:
    """Fill `autoscaling` with the registered min-max of each row, a few calls for the whole env."""
    by_id = {r.scaling_id: r for r in rows if r.scaling_id and r.status != "NotFound"}
    ids = sorted(i for i in by_id if i)
    for start in range(0, len(ids), MAX_RESOURCE_IDS):
        pages = autoscaling.get_paginator("describe_scalable_targets").paginate(
            ServiceNamespace="sagemaker", ResourceIds=ids[start : start + MAX_RESOURCE_IDS]
        )
        for page in pages:
            for target in page.get("ScalableTargets", []):
                row = by_id.get(target["ResourceId"])
                if row is not None:
                    row.autoscaling = f"{target['MinCapacity']}-{target['MaxCapacity']}"


def collect(ctx: DeployedEnv, sm: Any, autoscaling: Any) -> list[Row]:
    endpoints = ctx.rendered["endpoints"]
    rows = [endpoint_row(sm, key, ep) for key, ep in sorted(endpoints.items())]
    rows += [
        component_row(sm, key, ic, endpoints[ic["endpoint_key"]]["name"])
        for key, ic in sorted(ctx.rendered["inference_components"].items())
    ]
    add_autoscaling(autoscaling, rows)
    return rows
