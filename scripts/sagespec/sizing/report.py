"""What `sagespec size` prints: the model's footprint and the instance types that hold it."""

from __future__ import annotations

from typing import Any

from . import estimate, fit


def as_row(found: fit.Fit | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "instance_type": found.instance_type,
        "tensor_parallel_degree": found.tensor_parallel_degree,
        "gpu_memory_needed_gb": found.gpu_memory_needed_gb,
        "usd_per_hour": found.usd_per_hour,
    }


def print_text(
    name: str,
    sized: estimate.Sized,
    found: list[fit.Fit],
    best: fit.Fit | None,
    region: str,
    allowed: list[str] | None,
    budget: float | None,
) -> None:
    fp = sized.footprint
    print(f"{name}: {fp.parameters / 1e9:.2f}B parameters ({sized.source})")
    print(
        f"  weights {fp.weights_gib:.1f} GiB + KV cache {fp.kv_cache_gib:.1f} GiB"
        + (f" ({fp.tokens:,} tokens)" if fp.tokens and fp.kv_bytes_per_token else "")
        + f" = {fp.needed_gib:.1f} GiB of GPU memory at 90 % usable"
    )
    for note in fp.notes:
        print(f"  note: {note}")
    filters = [f"region {region}"]
    if allowed is not None:
        filters.append("policy " + ", ".join(allowed))
    if budget is not None:
        filters.append(f"budget ${budget:,.2f}/h")
    print(f"  filters: {'; '.join(filters)}")
    if not found:
        print("  no GPU instance type holds it: quantize, shorten MAX_TOTAL_TOKENS, or widen the policy")
        return
    print(f"  {'instance type':<18} {'TP':>3} {'need GiB':>9} {'have GiB':>9} {'$/hour':>9} {'$/month':>10}")
    for row in found:
        hourly = "no price" if row.usd_per_hour is None else f"{row.usd_per_hour:,.3f}"
        monthly = "" if row.usd_per_month is None else f"{row.usd_per_month:,.0f}"
        print(
            f"  {row.instance_type:<18} {row.tensor_parallel_degree:>3} {row.gpu_memory_needed_gb:>9.1f} "
            f"{row.gpu_memory_available_gb:>9.1f} {hourly:>9} {monthly:>10}"
        )
    if best is not None:
        print(
            f"  cheapest: {best.instance_type} (tensor parallel {best.tensor_parallel_degree}) at "
            f"${best.usd_per_hour:,.3f}/hour; price: {best.price_source}"
        )
