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


def instances_needed(groups: list[Group], capacity: Resources) -> int | None:
    """Instances that hold every copy; None when a single copy is larger than one instance.

    First-fit decreasing, one group at a time rather than one copy at a time: the copies of a
    group are alike and sort next to each other, so first fit fills each open instance with as
    many as fit, in order, then opens full instances. Open instances are kept as runs of equal
    free room, so time and memory grow with the number of groups, not of copies: a spec saying
    `copies: 1000000000000` once made validate allocate a list of every copy.
    """
    if any(g.copies > 0 and not g.each.fits(capacity) for g in groups):
        return None
    order = sorted(  # stable, like the copy-by-copy sort it replaces
        (g for g in groups if g.copies > 0), key=lambda g: g.each.dominant_share(capacity), reverse=True
    )
    runs: list[tuple[Resources, int]] = []  # (free room, instances with that room), in opening order
    for group in order:
        left = group.copies
        index = 0
        while left and index < len(runs):
            room, count = runs[index]
            fit = _how_many_fit(group.each, room, left)
            if fit == 0:
                index += 1
                continue
            full = min(count, left // fit)  # instances of the run that take `fit` copies each
            left -= full * fit
            part = left if full < count else 0  # then the next instance takes the rest, if any
            left -= part
            split = [(room.minus(group.each.times(fit)), full)] if full else []
            if part:
                split.append((room.minus(group.each.times(part)), 1))
            if count - full - (1 if part else 0):
                split.append((room, count - full - (1 if part else 0)))
            runs[index : index + 1] = split
            index += len(split)
        if left:
            per = _how_many_fit(group.each, capacity, left)
            full, part = divmod(left, per)
            if full:
                runs.append((capacity.minus(group.each.times(per)), full))
            if part:
                runs.append((capacity.minus(group.each.times(part)), 1))
    return sum(count for _, count in runs)


def _how_many_fit(each: Resources, room: Resources, at_most: int) -> int:
    """The most copies (up to at_most) that fit together in room."""
    limits = [
        int(have // need)
        for need, have in (
            (each.accelerators, room.accelerators),
            (each.cpus, room.cpus),
            (each.memory_mb, room.memory_mb),
        )
        if need > 0
    ]
    fit = max(0, min([at_most, *limits]))
    while fit and not each.times(fit).fits(room):  # floating-point rounding of the division
        fit -= 1
    return fit


def total(groups: list[Group]) -> Resources:
    out = NOTHING
    for group in groups:
        out = out.plus(group.each.times(group.copies))
    return out
