"""Inference-component pools: references, and copies against the instances the pool can have.

The count is a packing of whole copies onto instances (sagespec.cost.packing), the same count the cost
model prices. A pool can hold what fits on its maximum instance count (managed_scaling.max_instances,
else instance_count); copies that need more than the initial count are placed by managed scaling,
which adds instances at creation (a warning that names the extra instances). Findings land on the
model whose copies no longer fit, at its copies line, and quote no user value.
"""

from __future__ import annotations

from ..catalog import reader as catalogs
from ..catalog.reader import processor_of
from ..cost.packing import Group, Resources, instances_needed, total
from ..spec.project import Resolved
from ..suggest import did_you_mean
from .context import EnvContext


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


def check_pools(ctx: EnvContext, references_broken: bool = False) -> None:
    """Copies against each pool; an idle pool warns unless a model's pool reference is broken
    here (E304/E305): that model may be meant for it, and the warning would only echo the error."""
    members: dict[str, list[Resolved]] = {}
    for model in ctx.resolution.models.values():
        deployment = model.spec.get("deployment", {})
        if (
            deployment.get("type") == "inference-component"
            and deployment.get("endpoint") in ctx.resolution.endpoints
        ):
            members.setdefault(deployment["endpoint"], []).append(model)
    for name, pool in ctx.resolution.endpoints.items():
        if name in members:
            _check_pool(ctx, pool, members[name])
        elif not references_broken:
            ctx.reporter.warning(
                pool,
                ("spec", "instance_type"),
                "W409",
                "no inference component runs on this pool here: its instances bill while idle",
                "place a model on it (deployment.endpoint), or disable the pool in this environment",
            )


def _each_copy(model: Resolved) -> Resources:
    resources = model.spec["deployment"]["resources"]
    accelerators, cpus = float(resources.get("accelerators", 0)), float(resources.get("cpus", 0))
    return Resources(accelerators, cpus, float(resources["memory_mb"]))


def _group(model: Resolved, at_max: bool) -> Group:
    deployment = model.spec["deployment"]
    copies = int(deployment.get("copies", 1))
    scaling = deployment.get("autoscaling")
    if at_max and scaling:
        copies = max(copies, int(scaling["max_copies"]))
    return Group(model.name, copies, _each_copy(model))


def _check_pool(ctx: EnvContext, pool: Resolved, models: list[Resolved]) -> None:
    instance_type = pool.spec["instance_type"]
    info = catalogs.instance(instance_type)
    if info is None or info.vcpus is None or info.memory_gib is None or info.gpus is None:
        ctx.reporter.warning(
            pool,
            ("spec", "instance_type"),
            "W401",
            "the instance type's capacity is not in the instance catalog: copies are not checked",
        )
        return
    capacity = Resources(float(info.gpus), float(info.vcpus), info.memory_gib * 1024)
    too_big = [m for m in models if not _check_copy(ctx, m, instance_type, capacity)]
    fitting = [m for m in models if m not in too_big]
    if not fitting:
        return
    scaling = pool.spec.get("managed_scaling")
    initial = int(pool.spec.get("instance_count", 1))
    bound = max(initial, int(scaling["max_instances"])) if scaling else initial
    limit = "managed_scaling.max_instances" if scaling else "instance_count; no managed_scaling"
    need = _needed(fitting, capacity, at_max=False)
    if need > bound:
        for model in _culprits(fitting, capacity, bound, at_max=False):
            _over(ctx, model, fitting, capacity, instance_type, need, bound, limit)
        return
    if need > initial:
        for model in _culprits(fitting, capacity, initial, at_max=False):
            ctx.reporter.warning(
                model,
                ("spec", "deployment", "copies"),
                "W408",
                f"the initial copies on this pool need {need} x {instance_type}; the pool starts with "
                f"{initial}, so managed scaling adds {need - initial} at creation (and they bill)",
                "raise the pool's instance_count to say so, or place fewer copies",
            )
    need_max = _needed(fitting, capacity, at_max=True)
    if need_max > bound:
        scaled = [m for m in fitting if m.spec["deployment"].get("autoscaling")]
        for model in _culprits(fitting, capacity, bound, at_max=True, among=scaled):
            ctx.reporter.warning(
                model,
                ("spec", "deployment", "autoscaling", "max_copies"),
                "W405",
                f"at the copy autoscaling maximum the copies on this pool need {need_max} x {instance_type}, "
                f"but the pool can have at most {bound} ({limit})",
                "raise managed_scaling.max_instances or lower max_copies",
            )


def _check_copy(ctx: EnvContext, model: Resolved, instance_type: str, capacity: Resources) -> bool:
    """One copy fits on one instance (else it can never be placed)."""
    need = _each_copy(model)
    path = ("spec", "deployment", "resources")
    if need.accelerators and processor_of(instance_type) not in ("gpu", "neuron"):
        ctx.reporter.error(
            model,
            (*path, "accelerators"),
            "E407",
            f"the pool runs on {instance_type}, which has no accelerators",
        )
        return False
    fits = True
    for code, what, wanted, have in _each(need, capacity):
        if wanted > have:
            fits = False
            ctx.reporter.error(
                model,
                (*path, what),
                code,
                f"one copy needs {_fmt(wanted)} {_unit(what, wanted)} but {instance_type} has {_fmt(have)}",
                "lower the per-copy resources or choose a larger pool instance",
            )
    return fits


def _needed(models: list[Resolved], capacity: Resources, at_max: bool) -> int:
    count = instances_needed([_group(m, at_max) for m in models], capacity)
    assert count is not None  # every copy was checked to fit one instance
    return count


def _culprits(
    models: list[Resolved],
    capacity: Resources,
    limit: int,
    at_max: bool,
    among: list[Resolved] | None = None,
) -> list[Resolved]:
    """The models without whose copies the rest would fit in `limit` instances; all when none alone."""
    candidates = models if among is None else among
    alone = [m for m in candidates if _needed([o for o in models if o is not m], capacity, at_max) <= limit]
    return alone or candidates


def _over(
    ctx: EnvContext,
    model: Resolved,
    models: list[Resolved],
    capacity: Resources,
    instance_type: str,
    need: int,
    bound: int,
    limit: str,
) -> None:
    demand = total([_group(m, at_max=False) for m in models])
    code, what, wanted, have = max(_each(demand, capacity), key=lambda e: e[2] / e[3] if e[3] else 0.0)
    ctx.reporter.error(
        model,
        ("spec", "deployment", "copies"),
        code,
        f"the initial copies on this pool need {need} x {instance_type} ({_fmt(wanted)} "
        f"{_unit(what, wanted)} in all, {_fmt(have)} per instance), but the pool can have at most "
        f"{bound} ({limit})",
        "fewer or smaller copies, a larger pool instance, or a higher managed_scaling.max_instances",
    )


def _each(need: Resources, capacity: Resources) -> list[tuple[str, str, float, float]]:
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
