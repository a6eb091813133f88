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
from .drift import CHANGED, DELETED, Drift, count_drift

_KEY = re.compile(r'module\.inference_component\["([^"]+)"\]')
_COMPONENT = "awscc_sagemaker_inference_component"
_NOISE = frozenset({"tags_all", "id"})  # provider bookkeeping, not configuration


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


def _autoscaled_copies_only(
    change: dict[str, Any], keys: list[str], rendered: dict[str, Any], address: str
) -> bool:
    match = _KEY.search(address)
    ic = rendered["inference_components"].get(match.group(1)) if match else None
    if keys != ["runtime_config"] or ic is None or not ic.get("autoscaling"):
        return False
    before = dict(change.get("before", {}).get("runtime_config") or {})
    after = dict(change.get("after", {}).get("runtime_config") or {})
    copies = after.pop("copy_count", None)
    before.pop("copy_count", None)
    bounds = (int(ic["autoscaling"]["min_capacity"]), int(ic["autoscaling"]["max_capacity"]))
    return before == after and count_drift(copies, None, bounds, "copies") is None


def plan_drift(plan: dict[str, Any], rendered: dict[str, Any]) -> list[Drift]:
    found = []
    for item in plan.get("resource_drift") or []:
        change = item.get("change") or {}
        actions = change.get("actions") or []
        address = str(item.get("address", "?"))
        if "delete" in actions and not change.get("after"):
            found.append(Drift("terraform", address, str(item.get("type", "")), DELETED, "gone from AWS"))
            continue
        before, after = change.get("before") or {}, change.get("after") or {}
        keys = _changed_keys(before, after)
        if not keys:
            continue
        if item.get("type") == _COMPONENT and _autoscaled_copies_only(change, keys, rendered, address):
            continue
        found.append(
            Drift("terraform", address, str(item.get("type", "")), CHANGED, f"changed: {', '.join(keys)}")
        )
    return found
