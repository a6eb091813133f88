"""Drift: what runs in AWS against what the render says, by direct Describe calls.

Reported: resources deleted outside Terraform, an endpoint on another configuration, an
inference component on another model or with other compute requirements, a LoRA adapter on
another base or artifact, instance or copy
counts nobody owns that differ from the render, and autoscaling bounds changed or removed.
Not reported: instance and copy counts an autoscaler (Application Auto Scaling, managed instance
scaling) owns, as long as they are within the rendered bounds: changing them is its job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..render.types import Adapter, Endpoint, InferenceComponent, Rendered
from . import components
from .verify_checks import HASH_SUFFIX, scaling_bounds
from .verify_wait import describe_endpoint
from .waiting import not_found

CHANGED, DELETED = "changed", "deleted outside Terraform"
MAX_RESOURCE_IDS = 50  # describe_scalable_targets takes at most 50 ResourceIds per call


@dataclass(frozen=True)
class Drift:
    kind: str  # endpoint | endpoint-config | model | component | adapter | autoscaling | terraform
    key: str  # metadata.name, or the Terraform address
    name: str
    what: str  # CHANGED | DELETED
    detail: str

    def line(self) -> str:
        return f"{self.kind} {self.name} ({self.key}): {self.what}: {self.detail}"


def _renamed_at_plan(rendered: Rendered, model_key: str | None) -> bool:
    """Models with secrets get their name suffix at plan time: only the stable part is comparable."""
    model = rendered["models"].get(model_key or "")
    return bool(model and model.get("secret_environment"))


def _same(rendered_name: str, live: str | None, loose: bool) -> bool:
    if live is None:
        return False
    return live[:-HASH_SUFFIX] == rendered_name[:-HASH_SUFFIX] if loose else live == rendered_name


def count_drift(live: Any, rendered: int | None, bounds: tuple[int, int] | None, unit: str) -> str | None:
    """None when the count is the render's, or an autoscaler's within its bounds."""
    if live is None:
        return None
    if bounds is not None:
        low, high = bounds
        return (
            None
            if low <= int(live) <= high
            else f"{live} {unit}, outside the autoscaling bounds {low}..{high}"
        )
    return None if rendered is None or int(live) == rendered else f"{live} {unit}, rendered {rendered}"


def _exists(call: Any, **kwargs: str) -> bool:
    try:
        call(**kwargs)
    except ClientError as exc:
        if not_found(exc):
            return False
        raise
    return True


def endpoint_drift(sm: Any, key: str, ep: Endpoint, rendered: Rendered) -> list[Drift]:
    live = describe_endpoint(sm, ep["name"])
    if live is None:
        return [Drift("endpoint", key, ep["name"], DELETED, "the endpoint does not exist")]
    found = []
    loose = _renamed_at_plan(rendered, ep.get("model_key"))
    running = live.get("EndpointConfigName")
    if not _same(ep["config_name"], running, loose):
        found.append(
            Drift(
                "endpoint",
                key,
                ep["name"],
                CHANGED,
                f"runs endpoint config {running}, rendered {ep['config_name']}",
            )
        )
    elif not loose and not _exists(sm.describe_endpoint_config, EndpointConfigName=ep["config_name"]):
        found.append(
            Drift("endpoint-config", key, ep["config_name"], DELETED, "the endpoint config does not exist")
        )
    variant: dict[str, Any] = next(iter(live.get("ProductionVariants") or []), {})
    if ep["type"] != "serverless":
        problem = count_drift(
            variant.get("DesiredInstanceCount"),
            ep.get("initial_instance_count"),
            scaling_bounds(ep),
            "instances",
        )
        if problem:
            found.append(Drift("endpoint", key, ep["name"], CHANGED, problem))
    return found


def component_drift(sm: Any, key: str, ic: InferenceComponent, rendered: Rendered) -> list[Drift]:
    live = components.describe_component(sm, ic["name"])
    if live is None:
        return [Drift("component", key, ic["name"], DELETED, "the inference component does not exist")]
    found = []
    spec = live.get("Specification") or {}
    model = rendered["models"][ic["model_key"]]["name"]
    if not _same(model, spec.get("ModelName"), _renamed_at_plan(rendered, ic["model_key"])):
        found.append(
            Drift(
                "component",
                key,
                ic["name"],
                CHANGED,
                f"serves model {spec.get('ModelName')}, rendered {model}",
            )
        )
    needs = spec.get("ComputeResourceRequirements") or {}
    wanted: Mapping[str, Any] = ic  # read by field name below
    for field, live_key in (
        ("accelerators", "NumberOfAcceleratorDevicesRequired"),
        ("cpus", "NumberOfCpuCoresRequired"),
        ("memory_mb", "MinMemoryRequiredInMb"),
    ):
        if (
            wanted.get(field) is not None
            and needs.get(live_key) is not None
            and float(needs[live_key]) != float(wanted[field])
        ):
            found.append(
                Drift(
                    "component",
                    key,
                    ic["name"],
                    CHANGED,
                    f"{field} {needs[live_key]}, rendered {wanted[field]}",
                )
            )
    desired = (live.get("RuntimeConfig") or {}).get("DesiredCopyCount")
    problem = count_drift(desired, ic.get("copies"), scaling_bounds(ic), "copies")
    if problem:
        found.append(Drift("component", key, ic["name"], CHANGED, problem))
    return found


def adapter_drift(sm: Any, key: str, adapter: Adapter, rendered: Rendered) -> list[Drift]:
    """An adapter has no model or copies of its own: its base and its artifact are what can drift."""
    live = components.describe_component(sm, adapter["name"])
    if live is None:
        return [
            Drift("adapter", key, adapter["name"], DELETED, "the adapter inference component does not exist")
        ]
    spec = live.get("Specification") or {}
    found = []
    base = rendered["inference_components"][adapter["base_key"]]["name"]
    if spec.get("BaseInferenceComponentName") != base:
        detail = f"runs on {spec.get('BaseInferenceComponentName')}, rendered {base}"
        found.append(Drift("adapter", key, adapter["name"], CHANGED, detail))
    artifact = (spec.get("Container") or {}).get("ArtifactUrl")
    if artifact != adapter["artifact_url"]:
        detail = f"loads {artifact}, rendered {adapter['artifact_url']}"
        found.append(Drift("adapter", key, adapter["name"], CHANGED, detail))
    return found


def model_drift(sm: Any, rendered: Rendered) -> list[Drift]:
    return [
        Drift("model", key, m["name"], DELETED, "the model does not exist")
        for key, m in sorted(rendered["models"].items())
        if not m.get("secret_environment") and not _exists(sm.describe_model, ModelName=m["name"])
    ]


def _scaling_ids(rendered: Rendered) -> dict[str, tuple[str, str, Mapping[str, Any] | None]]:
    """Application Auto Scaling resource id -> (key, name, rendered autoscaling)."""
    ids: dict[str, tuple[str, str, Mapping[str, Any] | None]] = {
        f"endpoint/{ep['name']}/variant/{ep['variant_name']}": (key, ep["name"], ep.get("autoscaling"))
        for key, ep in rendered["endpoints"].items()
        if ep["type"] != "pool"
    }
    ids.update(
        {
            f"inference-component/{ic['name']}": (key, ic["name"], ic.get("autoscaling") or _pinned(ic))
            for key, ic in rendered["inference_components"].items()
        }
    )
    return ids


def _pinned(ic: InferenceComponent) -> dict[str, Any]:
    """A component without autoscaling may still have a scalable target that pins its count
    (min = max = copies): that is the module holding the rendered count, not drift."""
    return {"min_capacity": ic["copies"], "max_capacity": ic["copies"], "optional": True}


def autoscaling_drift(autoscaling: Any, rendered: Rendered) -> list[Drift]:
    ids = _scaling_ids(rendered)
    registered: dict[str, dict[str, Any]] = {}
    names = sorted(ids)
    for start in range(0, len(names), MAX_RESOURCE_IDS):
        pages = autoscaling.get_paginator("describe_scalable_targets").paginate(
            ServiceNamespace="sagemaker", ResourceIds=names[start : start + MAX_RESOURCE_IDS]
        )
        for page in pages:
            registered.update({t["ResourceId"]: t for t in page.get("ScalableTargets", [])})
    found = []
    for resource_id, (key, name, wanted) in sorted(ids.items()):
        live = registered.get(resource_id)
        if wanted and live is None and not wanted.get("optional"):
            found.append(Drift("autoscaling", key, name, DELETED, f"no scalable target {resource_id}"))
        elif live is not None and not wanted:
            bounds = f"{live['MinCapacity']}..{live['MaxCapacity']}"
            found.append(
                Drift(
                    "autoscaling", key, name, CHANGED, f"scalable target {bounds} registered, none rendered"
                )
            )
        elif live is not None and wanted:
            got = (int(live["MinCapacity"]), int(live["MaxCapacity"]))
            want = (int(wanted["min_capacity"]), int(wanted["max_capacity"]))
            if got != want:
                found.append(
                    Drift(
                        "autoscaling",
                        key,
                        name,
                        CHANGED,
                        f"bounds {got[0]}..{got[1]}, rendered {want[0]}..{want[1]}",
                    )
                )
    return found


def collect(sm: Any, autoscaling: Any, rendered: Rendered) -> list[Drift]:
    found = []
    for key, ep in sorted(rendered["endpoints"].items()):
        found += endpoint_drift(sm, key, ep, rendered)
    for key, ic in sorted(rendered["inference_components"].items()):
        found += component_drift(sm, key, ic, rendered)
    for key, adapter in sorted((rendered.get("inference_component_adapters") or {}).items()):
        found += adapter_drift(sm, key, adapter, rendered)
    return found + model_drift(sm, rendered) + autoscaling_drift(autoscaling, rendered)
