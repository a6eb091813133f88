"""Packing whole copies onto pool instances: the count SageMaker must run."""

from __future__ import annotations

from sagespec.packing import Group, Resources, instances_needed, total

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


def test_an_absurd_copy_count_is_counted_in_constant_memory() -> None:
    """10**12 copies (a typo, or hostile input) once expanded into a list per copy until killed."""
    import time

    from sagespec.packing import MAX_PACKED_COPIES

    capacity = Resources(4, 48, 196608)
    one = Resources(1, 4, 16384)
    start = time.monotonic()
    assert instances_needed([Group("a", 10**12, one)], capacity) == 250_000_000_000
    assert time.monotonic() - start < 1
    # at the boundary both ways of counting agree for one component
    packed = instances_needed([Group("a", MAX_PACKED_COPIES, one)], capacity)
    counted = instances_needed([Group("a", MAX_PACKED_COPIES + 4, one)], capacity)
    assert packed == MAX_PACKED_COPIES // 4 and counted == packed + 1
