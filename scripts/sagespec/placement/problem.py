"""The placement problem: components (per-copy needs x copies) and the instance types to pack them on.

A copy must fit on one instance (SageMaker places each copy whole); a component lives on exactly
one endpoint, so all its copies share one pool; a pool has one instance type (one variant).
Capacity is the instance catalog's GPUs, vCPUs and memory, as the pool capacity rule counts it
(sagespec.rules.capacity).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..catalog import reader as catalogs


@dataclass(frozen=True)
class Shape:
    """What one copy needs."""

    accelerators: int
    cpus: float
    memory_mb: int


@dataclass(frozen=True)
class Component:
    name: str
    shape: Shape
    copies: int


@dataclass(frozen=True)
class InstanceOption:
    type: str
    gpus: int
    vcpus: float
    memory_mb: float
    usd_per_hour: float

    def holds(self, shape: Shape) -> bool:
        return (
            shape.accelerators <= self.gpus
            and shape.cpus <= self.vcpus
            and shape.memory_mb <= self.memory_mb
            and (shape.accelerators > 0) == (self.gpus > 0)  # accelerated copies on GPU types only
        )


def options(region: str, allowed: list[str] | None) -> list[InstanceOption]:
    """Allowed NVIDIA-GPU and CPU instance types with known capacity and a sourced price."""
    found = []
    for name in catalogs.instance_types():
        if allowed is not None and not any(fnmatch.fnmatchcase(name, p) for p in allowed):
            continue
        info = catalogs.instance(name)
        price = catalogs.instance_price(name, region)
        if info is None or price is None or info.vcpus is None or info.memory_gib is None:
            continue
        if info.gpus is None or info.accelerator not in ("nvidia", "none"):
            continue  # Neuron devices are not interchangeable with GPUs
        found.append(
            InstanceOption(name, info.gpus, float(info.vcpus), info.memory_gib * 1024, price.usd_per_hour)
        )
    return sorted(found, key=lambda o: (o.usd_per_hour, o.type))
