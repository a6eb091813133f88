"""Inference-component pools: references, and copies x resources against the pool's capacity."""

from __future__ import annotations

from dataclasses import dataclass

from .. import catalogs
from ..project import Resolved
from .context import EnvContext, processor_of
from .suggest import did_you_mean


@dataclass(frozen=True)
class Need:
    accelerators: float
    cpus: float
    memory_mb: float


def check_reference(ctx: EnvContext, model: Resolved, all_endpoint_names: set[str]) -> bool:
    """The model's pool exists and is enabled in this environment."""
    endpoint = model.spec["deployment"]["endpoint"]
    path = ("spec", "deployment", "endpoint")
    if endpoint in ctx.resolution.endpoints:
        return True
    if endpoint in all_endpoint_names:
        ctx.reporter.error(
            model,
            path,
            "E305",
            "this kind Endpoint is not enabled in this environment",
            "enable the Endpoint in this environment, or disable this model there (enabled: false)",
        )
    else:
        create = "create specs/endpoints/<name>.yaml with kind: Endpoint, or fix the name"
        ctx.reporter.error(
            model,
            path,
            "E304",
            "no kind Endpoint has this name",
            did_you_mean(str(endpoint), all_endpoint_names, create),
        )
    return False


def check_pools(ctx: EnvContext) -> None:
    members: dict[str, list[Resolved]] = {}
    for model in ctx.resolution.models.values():
        deployment = model.spec.get("deployment", {})
        if (
            deployment.get("type") == "inference-component"
            and deployment.get("endpoint") in ctx.resolution.endpoints
        ):
            members.setdefault(deployment["endpoint"], []).append(model)
    for name, models in members.items():
        _check_pool(ctx, ctx.resolution.endpoints[name], models)


def _need(model: Resolved) -> Need:
    resources = model.spec["deployment"]["resources"]
    return Need(resources.get("accelerators", 0), resources.get("cpus", 0), resources["memory_mb"])


def _check_pool(ctx: EnvContext, pool: Resolved, models: list[Resolved]) -> None:
    instance_type = pool.spec["instance_type"]
    info = catalogs.instance(instance_type)
    if info is None or info.vcpus is None or info.memory_gib is None or info.gpus is None:
        ctx.reporter.warning(
            pool,
            ("spec", "instance_type"),
            "W401",
            f"{instance_type} capacity is not in the instance catalog: copies are not checked",
        )
        return
    capacity = Need(float(info.gpus), float(info.vcpus), info.memory_gib * 1024)
    scaling = pool.spec.get("managed_scaling")
    instances = scaling["max_instances"] if scaling else pool.spec.get("instance_count", 1)
    has_gpu = processor_of(instance_type) in ("gpu", "neuron")
    for model in models:
        need = _need(model)
        path = ("spec", "deployment", "resources")
        if need.accelerators and not has_gpu:
            ctx.reporter.error(
                model,
                (*path, "accelerators"),
                "E407",
                f"pool {pool.name} runs on {instance_type}, which has no accelerators",
            )
        for code, what, wanted, have in _each(need, capacity):
            if wanted > have:
                ctx.reporter.error(
                    model,
                    (*path, what),
                    code,
                    f"one copy needs {_fmt(wanted)} {_unit(what, wanted)} "
                    f"but {instance_type} has {_fmt(have)}",
                    "lower the per-copy resources or choose a larger pool instance",
                )
    over_now: set[str] = set()
    for which, label in (("copies", "initial copies"), ("max", "autoscaling maximum")):
        totals = _totals(models, which)
        for code, what, wanted, have in _each(totals, capacity):
            limit = have * instances
            if wanted <= limit or what in over_now:
                continue
            message = (
                f"{label} of the inference components on {pool.name} need "
                f"{_fmt(wanted)} {_unit(what, wanted)}, "
                f"but {instances} x {instance_type} has {_fmt(limit)}"
            )
            if which == "copies":
                over_now.add(what)
                ctx.reporter.error(
                    pool,
                    ("spec", "instance_type"),
                    code,
                    message,
                    "fewer copies, smaller copies, a larger instance or more instances",
                )
            else:
                ctx.reporter.warning(
                    pool,
                    ("spec", "instance_type"),
                    "W405",
                    message,
                    "raise managed_scaling.max_instances or lower max_copies",
                )


def _totals(models: list[Resolved], which: str) -> Need:
    acc = cpu = mem = 0.0
    for model in models:
        deployment, need = model.spec["deployment"], _need(model)
        scaling = deployment.get("autoscaling")
        count = scaling["max_copies"] if which == "max" and scaling else deployment.get("copies", 1)
        acc, cpu, mem = acc + count * need.accelerators, cpu + count * need.cpus, mem + count * need.memory_mb
    return Need(acc, cpu, mem)


def _each(need: Need, capacity: Need) -> list[tuple[str, str, float, float]]:
    return [
        ("E404", "accelerators", need.accelerators, capacity.accelerators),
        ("E405", "cpus", need.cpus, capacity.cpus),
        ("E406", "memory_mb", need.memory_mb, capacity.memory_mb),
    ]


def _unit(what: str, amount: float = 2) -> str:
    """The unit, singular for exactly one (1 accelerator, 1 vCPU)."""
    one = amount == 1
    return {
        "accelerators": "accelerator" if one else "accelerators",
        "cpus": "vCPU" if one else "vCPUs",
        "memory_mb": "MB of memory",
    }[what]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
