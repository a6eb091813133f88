"""Baselines for the benchmark: one endpoint per model, and first-fit decreasing over shared pools."""

from __future__ import annotations

import math

from ..errors import SagespecError
from .layout import Instance, Placement
from .problem import Component, InstanceOption, Shape


def per_instance(option: InstanceOption, shape: Shape) -> int:
    """How many copies of `shape` one instance of `option` holds."""
    if not option.holds(shape):
        return 0
    limits = [math.floor(option.vcpus / shape.cpus + 1e-9) if shape.cpus else math.inf]
    limits.append(math.floor(option.memory_mb / shape.memory_mb) if shape.memory_mb else math.inf)
    if shape.accelerators:
        limits.append(option.gpus // shape.accelerators)
    return int(min(limits))


def holders(component: Component, options: list[InstanceOption]) -> list[InstanceOption]:
    found = [o for o in options if o.holds(component.shape)]
    if not found:
        raise SagespecError(
            f"{component.name}: no allowed, priced instance type holds one copy "
            f"({component.shape.accelerators} accelerators, {component.shape.cpus:g} vCPUs, "
            f"{component.shape.memory_mb} MB)",
            "widen the environment's allowed_instance_types, or add prices (make prices)",
        )
    return found


def one_endpoint_per_model(components: list[Component], options: list[InstanceOption]) -> Placement:
    """Each model on its own pool of the type that holds its copies cheapest."""
    instances: list[Instance] = []
    assignment: dict[str, str] = {}
    for component in components:
        best: tuple[float, InstanceOption, int] | None = None
        for option in holders(component, options):
            count = math.ceil(component.copies / per_instance(option, component.shape))
            cost = count * option.usd_per_hour
            if best is None or cost < best[0]:
                best = (cost, option, count)
        assert best is not None
        _, option, count = best
        assignment[component.name] = option.type
        left, each = component.copies, per_instance(option, component.shape)
        for _ in range(count):
            instances.append(Instance(option, {component.name: min(each, left)}))
            left -= each
    return Placement("one endpoint per model", instances, assignment)


def _room(instance: Instance, shape: Shape, by_name: dict[str, Component]) -> bool:
    acc = cpu = mem = 0.0
    for name, count in instance.copies.items():
        used = by_name[name].shape
        acc, cpu, mem = acc + count * used.accelerators, cpu + count * used.cpus, mem + count * used.memory_mb
    option = instance.option
    return (
        acc + shape.accelerators <= option.gpus
        and cpu + shape.cpus <= option.vcpus + 1e-9
        and mem + shape.memory_mb <= option.memory_mb + 1e-9
    )


def _place_copies(
    pool: list[Instance], component: Component, by_name: dict[str, Component], option: InstanceOption | None
) -> bool:
    """First fit of every copy over the pool's instances; with `option`, open instances as needed."""
    trial = [Instance(i.option, dict(i.copies)) for i in pool]
    for _ in range(component.copies):
        target = next((i for i in trial if _room(i, component.shape, by_name)), None)
        if target is None:
            if option is None:
                return False
            target = Instance(option)
            trial.append(target)
        target.copies[component.name] = target.copies.get(component.name, 0) + 1
    pool[:] = trial
    return True


def first_fit(components: list[Component], options: list[InstanceOption]) -> Placement:
    """First-fit decreasing: biggest components first, into the first pool with room, else grow one."""
    by_name = {c.name: c for c in components}
    pools: dict[str, list[Instance]] = {}  # instance type -> its instances, in opening order
    assignment: dict[str, str] = {}
    order = sorted(
        components, key=lambda c: (c.shape.accelerators, c.shape.memory_mb, c.shape.cpus), reverse=True
    )
    for component in order:
        fitting = holders(component, options)
        types = {o.type for o in fitting}
        chosen = next(
            (t for t, pool in pools.items() if t in types and _place_copies(pool, component, by_name, None)),
            None,
        )
        if chosen is None:
            grow = next((t for t in pools if t in types), None)
            option = next(o for o in fitting if o.type == grow) if grow else fitting[0]
            pool = pools.setdefault(option.type, [])
            _place_copies(pool, component, by_name, option)
            chosen = option.type
        assignment[component.name] = chosen
    instances = [i for pool in pools.values() for i in pool]
    return Placement("first fit", instances, assignment)
