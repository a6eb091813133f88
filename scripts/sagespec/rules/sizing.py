"""W420: the instance (or the copy's accelerators) cannot hold the model in GPU memory.

The rule is the DJL LMI sizing guide's: the aggregate accelerator memory must hold the weights and
the KV cache of the requests at runtime (https://docs.djl.ai/docs/serving/serving/docs/lmi/
deployment_guide/instance-type-selection.html); the memory model is sagespec.sizing.memory.
Only offline, repository-local facts are used (the spec's `size`, or config.json beside local
weights), so validation gives the same answer on every machine.
"""

from __future__ import annotations

from ..catalog import reader as catalogs
from ..sizing import estimate
from ..spec.project import Resolved
from .context import EnvContext


def check_model(ctx: EnvContext, model: Resolved) -> None:
    spec = model.spec
    if "size" not in spec and "local" not in spec.get("weights", {}):
        return
    instance_type = ctx.instance_type_of(model)
    info = catalogs.instance(instance_type) if instance_type else None
    if info is None or not info.gpus or not info.gpu_memory_gib:
        return  # CPU, serverless or unknown capacity: nothing sourced to compare with
    deployment = spec["deployment"]
    gpus = info.gpus
    if deployment["type"] == "inference-component":
        gpus = min(gpus, int(deployment.get("resources", {}).get("accelerators") or 0))
        if gpus == 0:
            return
    else:
        gpus = min(gpus, _sharded_over(spec) or gpus)  # one model copy spans its TP degree only
    try:
        sized = estimate.estimate(ctx.root, spec)
    except (estimate.SizeUnknown, ValueError):
        return  # no config.json yet (the artifact rules report missing files)
    available = info.gpu_memory_gib / info.gpus * gpus
    footprint = sized.footprint
    if footprint.needed_gib <= available:
        return
    where = f"{gpus} GPU{'s' if gpus > 1 else ''} of {instance_type}"
    ctx.reporter.warning(
        model,
        ("spec", "size") if "size" in spec else ("spec", "weights"),
        "W420",
        f"{model.name} needs about {footprint.needed_gib:.1f} GiB of GPU memory (weights "
        f"{footprint.weights_gib:.1f} GiB + KV cache {footprint.kv_cache_gib:.1f} GiB, 90 % usable); "
        f"{where} hold{'s' if gpus == 1 else ''} {available:.1f} GiB",
        f"run `sagespec size {model.name} --env <env>` for the instance types that fit",
    )


def _sharded_over(spec: dict[str, object]) -> int | None:
    """The tensor-parallel degree the container is told (LMI, TGI); None for all GPUs ("max")."""
    env = spec.get("environment")
    if not isinstance(env, dict):
        return None
    for key in ("OPTION_TENSOR_PARALLEL_DEGREE", "TENSOR_PARALLEL_DEGREE", "SM_NUM_GPUS"):
        value = str(env.get(key, ""))
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None
