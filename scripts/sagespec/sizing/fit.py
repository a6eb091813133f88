"""Which instance types hold a footprint, with the tensor-parallel degree each needs, and its price.

A model sharded over `tp` GPUs needs needed_gib / tp on each; tp is a power of two that divides the
instance's GPU count and the attention heads (vLLM refuses other degrees: "Total number of
attention heads must be divisible by tensor parallel size",
https://docs.vllm.ai/en/latest/serving/distributed_serving.html).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..catalog import reader as catalogs
from ..cost.model import HOURS_PER_MONTH
from .memory import Footprint

TP_DEGREES = (1, 2, 4, 8, 16)


@dataclass(frozen=True)
class Fit:
    instance_type: str
    tensor_parallel_degree: int
    gpu_memory_needed_gb: float  # GiB, as the instance catalog counts accelerator memory
    gpu_memory_available_gb: float  # on the GPUs used
    usd_per_hour: float | None
    price_source: str | None

    @property
    def usd_per_month(self) -> float | None:
        return None if self.usd_per_hour is None else self.usd_per_hour * HOURS_PER_MONTH


def gpu_instances() -> list[catalogs.Instance]:
    found = []
    for name in catalogs.instance_types():
        info = catalogs.instance(name)
        if info and info.accelerator == "nvidia" and info.gpus and info.gpu_memory_gib:
            found.append(info)
    return found


def fit_on(info: catalogs.Instance, footprint: Footprint, heads: int | None) -> int | None:
    """The smallest tensor-parallel degree that holds the footprint on this instance, if any."""
    assert info.gpus and info.gpu_memory_gib
    per_gpu = info.gpu_memory_gib / info.gpus
    for tp in TP_DEGREES:
        if tp > info.gpus or info.gpus % tp or (heads and heads % tp):
            continue
        if footprint.needed_gib / tp <= per_gpu:
            return tp
    return None


def fits(
    footprint: Footprint,
    region: str,
    heads: int | None = None,
    allowed: list[str] | None = None,
    budget: float | None = None,
) -> list[Fit]:
    """Every allowed GPU instance type that holds the model, cheapest first (unpriced last)."""
    result = []
    for info in gpu_instances():
        if allowed is not None and not any(fnmatch.fnmatchcase(info.type, p) for p in allowed):
            continue
        tp = fit_on(info, footprint, heads)
        if tp is None:
            continue
        price = catalogs.instance_price(info.type, region)
        usd = None if price is None else price.usd_per_hour
        if budget is not None and (usd is None or usd > budget):
            continue
        assert info.gpus and info.gpu_memory_gib
        result.append(
            Fit(
                info.type,
                tp,
                round(footprint.needed_gib, 2),
                round(info.gpu_memory_gib / info.gpus * tp, 2),
                usd,
                None if price is None else f"{price.source} ({price.as_of})",
            )
        )
    return sorted(result, key=lambda f: (f.usd_per_hour is None, f.usd_per_hour or 0.0, f.instance_type))


def cheapest(found: list[Fit]) -> Fit | None:
    priced = [f for f in found if f.usd_per_hour is not None]
    return priced[0] if priced else None
