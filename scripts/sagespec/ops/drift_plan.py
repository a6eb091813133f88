"""Drift as Terraform sees it: the `resource_drift` of a refresh-only plan.

`terraform plan -refresh-only -out=drift.tfplan && terraform show -json drift.tfplan` lists every
resource whose real state differs from the state file, with `before` (state) and `after` (AWS).
https://developer.hashicorp.com/terraform/internals/json-format ("resource_drift")
An inference component's copy count under autoscaling is the autoscaler's, and left out while
it stays within the rendered bounds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from ..render.types import Rendered
from .drift_describe import CHANGED, DELETED, Drift, count_drift

_KEY = re.compile(r'module\.inference_component\["([^"]+)"\]')
_COMPONENT = "awscc_sagemaker_inference_component"
# Provider bookkeeping and read-only status, not configuration: a refresh updates them all the time.
_NOISE = frozenset(
    {"tags_all", "id", "creation_time", "last_modified_time", "failure_reason", "inference_component_status"}
)
# Computed parts of an inference component's runtime_config (awscc schema): the live counts.
_RUNTIME_STATUS = ("current_copy_count", "desired_copy_count", "placement_status")


def read_plan(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SagespecError(
            f"{path}: cannot read the plan JSON: {exc}",
            "pass the output of `terraform show -json` of a refresh-only plan",
        ) from exc
    if not isinstance(data, dict) or "format_version" not in data:
        raise SagespecError(
            f"{path}: not `terraform show -json` output of a plan (no format_version)",
            "terraform plan -refresh-only -out=drift.tfplan && terraform show -json drift.tfplan",
        )
    return data


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if k not in _NOISE and before.get(k) != after.get(k))


def _runtime_config(values: dict[str, Any], bounds: tuple[int, int] | None) -> dict[str, Any]:
    """runtime_config without the live counts, and without copy_count while an autoscaler owns it."""
    config = {k: v for k, v in (values.get("runtime_config") or {}).items() if k not in _RUNTIME_STATUS}
    copies = config.get("copy_count")
    if bounds is not None and copies is not None and count_drift(copies, None, bounds, "copies") is None:
        config.pop("copy_count")
    return config


def _component_view(item: dict[str, Any], rendered: Rendered, side: str) -> dict[str, Any]:
    values = dict((item.get("change") or {}).get(side) or {})
    match = _KEY.search(str(item.get("address", "")))
    ic = rendered["inference_components"].get(match.group(1)) if match else None
    scaling = ic.get("autoscaling") if ic else None
    bounds = (int(scaling["min_capacity"]), int(scaling["max_capacity"])) if scaling else None
    if "runtime_config" in values:
        values["runtime_config"] = _runtime_config(values, bounds)
    return values


def plan_drift(plan: dict[str, Any], rendered: Rendered) -> list[Drift]:
    found = []
    for item in plan.get("resource_drift") or []:
        change = item.get("change") or {}
        actions = change.get("actions") or []
        address = str(item.get("address", "?"))
        if "delete" in actions and not change.get("after"):
            found.append(Drift("terraform", address, str(item.get("type", "")), DELETED, "gone from AWS"))
            continue
        before, after = change.get("before") or {}, change.get("after") or {}
        if item.get("type") == _COMPONENT:
            before, after = (
                _component_view(item, rendered, "before"),
                _component_view(item, rendered, "after"),
            )
        keys = _changed_keys(before, after)
        if not keys:
            continue
        found.append(
            Drift("terraform", address, str(item.get("type", "")), CHANGED, f"changed: {', '.join(keys)}")
        )
    return found
