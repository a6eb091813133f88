"""Packing whole copies onto pool instances: the count SageMaker must run."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from sagespec.cost.packing import Group, Resources, instances_needed, total

G5_12X = Resources(4, 48, 192 * 1024)  # 4 x A10G, 48 vCPUs, 192 GiB


def test_copies_that_fill_one_instance_need_one() -> None:
    assert instances_needed([Group("m", 4, Resources(1, 4, 16384))], G5_12X) == 1


def test_two_more_copies_on_a_full_instance_need_a_second() -> None:
    assert instances_needed([Group("m", 6, Resources(1, 4, 16384))], G5_12X) == 2


def test_copies_are_placed_whole_not_divided() -> None:
    # 4 x 3 GPUs = 12 GPUs would "fit" 3 instances by division; whole copies need 4
    assert instances_needed([Group("m", 4, Resources(3, 4, 16384))], G5_12X) == 4


def test_the_scarcest_resource_decides() -> None:
    # memory, not GPUs: 3 copies of 100 GiB need 3 instances of 192 GiB though 3 GPUs would fit one
    assert instances_needed([Group("m", 3, Resources(1, 4, 100 * 1024))], G5_12X) == 3


def test_mixed_tenants_fill_gaps_largest_first() -> None:
    big, small = Group("big", 2, Resources(3, 8, 32768)), Group("small", 2, Resources(1, 2, 8192))
    assert instances_needed([small, big], G5_12X) == 2  # each big copy leaves one GPU for a small one


def test_a_copy_larger_than_an_instance_can_never_be_placed() -> None:
    assert instances_needed([Group("m", 1, Resources(8, 4, 16384))], G5_12X) is None


def test_no_copies_need_no_instances() -> None:
    assert instances_needed([Group("m", 0, Resources(1, 4, 16384))], G5_12X) == 0


def test_total_adds_every_copy() -> None:
    got = total([Group("a", 2, Resources(1, 4, 1024)), Group("b", 3, Resources(0, 0.5, 512))])
    assert got == Resources(2, 9.5, 3584)


def _copy_by_copy(groups: list[Group], capacity: Resources) -> int | None:
    """The first-fit decreasing that enumerates every copy (what instances_needed once did)."""
    if any(g.copies > 0 and not g.each.fits(capacity) for g in groups):
        return None
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


_EACH = st.builds(
    Resources,
    st.sampled_from([0, 1, 2, 3, 4]),
    st.sampled_from([0.5, 1, 2, 4, 8, 12, 48]),
    st.sampled_from([1024, 4096, 16384, 30000, 100 * 1024]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), _EACH), max_size=5))
def test_packing_by_groups_places_exactly_as_copy_by_copy(specs: list[tuple[int, Resources]]) -> None:
    groups = [Group(f"m{i}", copies, each) for i, (copies, each) in enumerate(specs)]
    assert instances_needed(groups, G5_12X) == _copy_by_copy(groups, G5_12X)


def test_a_huge_copy_count_is_counted_not_enumerated() -> None:
    """`copies: 1000000000000` in a spec made validate allocate every copy (24 GB, then killed)."""
    start = time.monotonic()
    groups = [Group("big", 10**12, Resources(1, 4, 16384)), Group("small", 3, Resources(0, 2, 4096))]
    assert instances_needed(groups, G5_12X) == 10**12 // 4
    assert time.monotonic() - start < 0.5
