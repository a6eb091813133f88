"""A placement written out instance by instance, and the independent check that every copy fits."""

from __future__ import annotations

from dataclasses import dataclass, field

from .problem import Component, InstanceOption


@dataclass
class Instance:
    option: InstanceOption
    copies: dict[str, int] = field(default_factory=dict)  # component -> copies on this instance


@dataclass
class Placement:
    method: str
    instances: list[Instance]
    assignment: dict[str, str]  # component -> instance type of its pool
    seconds: float = 0.0
    status: str = "heuristic"
    gap: float | None = None  # relative distance to the solver's best bound

    @property
    def usd_per_hour(self) -> float:
        return sum(i.option.usd_per_hour for i in self.instances if i.copies)

    def pools(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for instance in self.instances:
            if instance.copies:
                counts[instance.option.type] = counts.get(instance.option.type, 0) + 1
        return dict(sorted(counts.items()))


def problems(placement: Placement, components: list[Component]) -> list[str]:
    """Every way the placement breaks the rules; [] when it is valid."""
    wrong: list[str] = []
    by_name = {c.name: c for c in components}
    placed = dict.fromkeys(by_name, 0)
    for index, instance in enumerate(placement.instances):
        acc = cpu = mem = 0.0
        for name, count in instance.copies.items():
            shape = by_name[name].shape
            if placement.assignment.get(name) != instance.option.type:
                wrong.append(f"{name} has copies outside its pool, on instance {index}")
            if not instance.option.holds(shape):
                wrong.append(f"{name} cannot run on {instance.option.type}")
            acc, cpu, mem = (
                acc + count * shape.accelerators,
                cpu + count * shape.cpus,
                mem + count * shape.memory_mb,
            )
            placed[name] += count
        option = instance.option
        if acc > option.gpus or cpu > option.vcpus + 1e-9 or mem > option.memory_mb + 1e-9:
            wrong.append(f"instance {index} ({option.type}) is over capacity")
    for name, count in placed.items():
        if count != by_name[name].copies:
            wrong.append(f"{name}: {count} copies placed, {by_name[name].copies} wanted")
    return wrong
