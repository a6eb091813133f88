"""The placement problem of one environment, read from its validated specs; the result as spec changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import reader as catalogs
from ..render.endpoints import DEFAULT_IC_CPUS
from ..spec.project import Resolution
from .layout import Placement
from .problem import Component, Shape


def components(resolution: Resolution, max_copies: bool) -> list[Component]:
    found = []
    for name, model in sorted(resolution.models.items()):
        deployment = model.spec["deployment"]
        if deployment["type"] != "inference-component":
            continue
        resources = deployment["resources"]
        # a component scaled to zero still needs a pool that can start one copy
        copies = max(1, int(deployment.get("copies", 1)))
        scaling = deployment.get("autoscaling")
        if max_copies and scaling:
            copies = max(copies, int(scaling["max_copies"]))
        shape = Shape(
            int(resources.get("accelerators") or 0),
            float(resources.get("cpus", DEFAULT_IC_CPUS)),
            int(resources["memory_mb"]),
        )
        found.append(Component(name, shape, copies))
    return found


@dataclass(frozen=True)
class Change:
    file: str
    field: str
    before: Any
    after: Any


def current_usd_per_hour(resolution: Resolution, region: str) -> float | None:
    total = 0.0
    for pool in resolution.endpoints.values():
        price = catalogs.instance_price(str(pool.spec["instance_type"]), region)
        if price is None:
            return None
        total += price.usd_per_hour * int(pool.spec.get("instance_count", 1))
    return total


def pool_names(resolution: Resolution, placement: Placement) -> dict[str, str]:
    """Instance type -> pool name: an existing pool of that type keeps its name."""
    existing: dict[str, str] = {}
    for name, pool in sorted(resolution.endpoints.items()):
        existing.setdefault(str(pool.spec["instance_type"]), name)
    names = {}
    for instance_type in placement.pools():
        names[instance_type] = existing.get(instance_type) or "pool-" + instance_type.removeprefix(
            "ml."
        ).replace(".", "-")
    return names


def changes(resolution: Resolution, placement: Placement) -> list[Change]:
    names = pool_names(resolution, placement)
    result: list[Change] = []
    for instance_type, count in placement.pools().items():
        name = names[instance_type]
        pool = resolution.endpoints.get(name)
        if pool is None:
            file = f"specs/endpoints/{name}.yaml"
            result.append(Change(file, "(new kind Endpoint) instance_type", None, instance_type))
            result.append(Change(file, "instance_count", None, count))
        elif int(pool.spec.get("instance_count", 1)) != count:
            result.append(Change(pool.file, "instance_count", pool.spec.get("instance_count", 1), count))
    used = set(names.values())
    for name, pool in sorted(resolution.endpoints.items()):
        if name not in used:
            result.append(Change(pool.file, "enabled (no components left)", True, False))
    for component, instance_type in sorted(placement.assignment.items()):
        model = resolution.models[component]
        before = model.spec["deployment"]["endpoint"]
        if before != names.get(instance_type, before):
            result.append(Change(model.file, "deployment.endpoint", before, names[instance_type]))
    return result
