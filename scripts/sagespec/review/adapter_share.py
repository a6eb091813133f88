"""What a LoRA adapter costs: nothing of its own; it runs in its base's share of the pool.

The base's share is the pool's hourly price times the fraction of the pool's capacity its copies
reserve: accelerators when the copies use them, else memory (the resource SageMaker packs copies
by). Adapters of one base split nothing further: they share the same copies.
"""

from __future__ import annotations

from typing import Any

from .. import catalogs


def base_share_usd_per_hour(rendered: dict[str, Any], base_key: str) -> float | None:
    """The base component's share of its pool's hourly cost, or None when unpriced or unknown."""
    base = (rendered.get("inference_components") or {}).get(base_key)
    pool = (rendered.get("endpoints") or {}).get(str(base.get("endpoint_key"))) if base else None
    if base is None or pool is None or not pool.get("instance_type"):
        return None
    region = str((rendered.get("aws") or {}).get("region"))
    price = catalogs.instance_price(str(pool["instance_type"]), region)
    info = catalogs.instance(str(pool["instance_type"]))
    if price is None or info is None:
        return None
    instances = int(pool.get("initial_instance_count") or 1)
    copies = int(base.get("copies") or 0)
    if base.get("accelerators") and info.gpus:
        fraction = copies * float(base["accelerators"]) / (info.gpus * instances)
    elif info.memory_gib:
        fraction = copies * float(base["memory_mb"]) / (info.memory_gib * 1024 * instances)
    else:
        return None
    return price.usd_per_hour * instances * min(fraction, 1.0)
