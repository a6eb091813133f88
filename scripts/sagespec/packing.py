"""How many pool instances the copies of inference components need: first-fit-decreasing bin packing.

SageMaker places each copy whole on one instance, reserving the copy's accelerators, vCPUs and
memory there, so the count is a packing of copies, not total demand divided by one instance's
capacity (four 3-GPU copies need four 4-GPU instances, not three). First-fit decreasing is
within 11/9 of the optimum for one dimension and exact for the equal-size copies a pool
usually holds; it never reports fewer instances than the copies can really use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resources:
    accelerators: float
    cpus: float
    memory_mb: float

    def fits(self, capacity: Resources) -> bool:
        return (
            self.accelerators <= capacity.accelerators
            and self.cpus <= capacity.cpus
            and self.memory_mb <= capacity.memory_mb
        )

    def minus(self, other: Resources) -> Resources:
        return Resources(
            self.accelerators - other.accelerators, self.cpus - other.cpus, self.memory_mb - other.memory_mb
        )

    def times(self, count: float) -> Resources:
        return Resources(self.accelerators * count, self.cpus * count, self.memory_mb * count)

    def plus(self, other: Resources) -> Resources:
        return Resources(
            self.accelerators + other.accelerators, self.cpus + other.cpus, self.memory_mb + other.memory_mb
        )

    def dominant_share(self, capacity: Resources) -> float:
        """The largest fraction of one instance this takes, over the three resources."""
        shares = [
            mine / have
            for mine, have in (
                (self.accelerators, capacity.accelerators),
                (self.cpus, capacity.cpus),
                (self.memory_mb, capacity.memory_mb),
            )
            if have > 0
        ]
        return max(shares, default=0.0)


NOTHING = Resources(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Group:
    """Copies of one inference component: how many, and what each reserves."""

    name: str
    copies: int
    each: Resources


MAX_PACKED_COPIES = 4096  # beyond this (no real pool holds that many), packing is per component


def per_instance(each: Resources, capacity: Resources) -> int:
    """How many copies of one size fit one instance (each fits at least once)."""
    fits = [
        int(have // mine)
        for mine, have in (
            (each.accelerators, capacity.accelerators),
            (each.cpus, capacity.cpus),
            (each.memory_mb, capacity.memory_mb),
        )
        if mine > 0
    ]
    return max(min(fits, default=MAX_PACKED_COPIES), 1)


def instances_needed(groups: list[Group], capacity: Resources) -> int | None:
    """Instances that hold every copy; None when a single copy is larger than one instance."""
    if any(g.copies > 0 and not g.each.fits(capacity) for g in groups):
        return None
    if sum(max(g.copies, 0) for g in groups) > MAX_PACKED_COPIES:
        # A copy count no pool can hold (a typo, hostile input): count each component's instances
        # on its own, in constant memory; exact for one component, never fewer than a packing needs.
        return sum(-(-g.copies // per_instance(g.each, capacity)) for g in groups if g.copies > 0)
    items = sorted(
        (g.each for g in groups for _ in range(max(g.copies, 0))),
        key=lambda r: r.dominant_share(capacity),
        reverse=True,
    )
    free: list[Resources] = []
    for item in items:
        for index, room in enumerate(free):
            if item.fits(room):
                free[index] = room.minus(item)
                break
        else:
            free.append(capacity.minus(item))
    return len(free)


def total(groups: list[Group]) -> Resources:
    out = NOTHING
    for group in groups:
        out = out.plus(group.each.times(group.copies))
    return out
