"""`sagespec size MODEL`: the GPU instance types that hold a model, their tensor-parallel degree and price."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import SagespecError
from ..sizing import estimate, fit
from ..spec.project import Project
from .common import project_from

DEFAULT_REGION = "us-east-1"  # without --env: the region the shipped price catalog covers


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="metadata.name of a kind Model spec")
    parser.add_argument("--env", help="environment: its overlay, region and policy (default: the base spec)")
    parser.add_argument("--budget", type=float, metavar="USD", help="keep instances at most USD per hour")
    parser.add_argument("--batch", type=int, default=1, help="sequences per batch when the spec sets none")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    spec, region, allowed = _target(project, args.model, args.env)
    if args.batch < 1:
        raise SagespecError("--batch must be at least 1")
    try:
        sized = estimate.estimate(project.root, spec, args.batch)
    except (estimate.SizeUnknown, ValueError) as exc:
        raise SagespecError(
            f"{args.model}: cannot size the model: {exc}",
            "add `size: {parameters: 7.2e9, dtype: bfloat16}` to the spec, or put config.json beside "
            "the weights (for Hub models: huggingface-cli download <id> config.json)",
        ) from exc
    found = fit.fits(sized.footprint, region, sized.attention_heads, allowed, args.budget)
    best = fit.cheapest(found)
    if args.format == "json":
        sys.stdout.write(
            json.dumps({"fits": [_row(f) for f in found], "cheapest": _row(best)}, indent=2) + "\n"
        )
    else:
        _print_text(args.model, sized, found, best, region, allowed, args.budget)
    return 0 if found else 1


def _target(project: Project, name: str, env: str | None) -> tuple[dict[str, Any], str, list[str] | None]:
    sources = [s for s in project.by_kind("Model") if s.name == name]
    if not sources:
        known = ", ".join(sorted(s.name for s in project.by_kind("Model") if s.name)) or "none"
        raise SagespecError(f"no kind Model named {name!r}", f"known models: {known}")
    if env is None:
        return sources[0].merged_spec(""), DEFAULT_REGION, None
    if env not in project.environments:
        raise SagespecError(
            f"unknown environment {env!r}", f"known environments: {', '.join(project.env_names)}"
        )
    env_spec = project.environment(env).spec
    allowed = env_spec.get("policy", {}).get("allowed_instance_types")
    region = str(env_spec.get("aws", {}).get("region", DEFAULT_REGION))
    return sources[0].merged_spec(env), region, list(allowed) if allowed else None


def _row(found: fit.Fit | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "instance_type": found.instance_type,
        "tensor_parallel_degree": found.tensor_parallel_degree,
        "gpu_memory_needed_gb": found.gpu_memory_needed_gb,
        "usd_per_hour": found.usd_per_hour,
    }


def _print_text(
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
