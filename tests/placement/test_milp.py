"""The MILP against an independent brute force, and against the two heuristics."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from sagespec.errors import SagespecError
from sagespec.placement import bench, heuristics, layout, milp, problem
from sagespec.placement.bench import SHAPES, fleet
from sagespec.placement.problem import Component, InstanceOption, Shape

SMALL = InstanceOption("ml.small", 1, 4, 16384, 1.0)
QUAD = InstanceOption("ml.quad", 4, 48, 196608, 3.5)
CPU = InstanceOption("ml.cpu", 0, 4, 16384, 0.25)
OPTIONS = [CPU, SMALL, QUAD]


def _fewest_instances(option: InstanceOption, copies: list[Shape]) -> int:
    """Exact bin packing by search: the fewest instances of `option` that hold every copy."""
    best = [len(copies)]
    ordered = sorted(copies, key=lambda s: (s.accelerators, s.memory_mb, s.cpus), reverse=True)

    def place(index: int, bins: list[tuple[float, float, float]]) -> None:
        if len(bins) >= best[0]:
            return
        if index == len(ordered):
            best[0] = len(bins)
            return
        shape = ordered[index]
        for b, (acc, cpu, mem) in enumerate(bins):
            if (
                acc + shape.accelerators <= option.gpus
                and cpu + shape.cpus <= option.vcpus
                and mem + shape.memory_mb <= option.memory_mb
            ):
                bins[b] = (acc + shape.accelerators, cpu + shape.cpus, mem + shape.memory_mb)
                place(index + 1, bins)
                bins[b] = (acc, cpu, mem)
        bins.append((shape.accelerators, shape.cpus, shape.memory_mb))
        place(index + 1, bins)
        bins.pop()

    place(0, [])
    return best[0]


def _brute_force(components: list[Component], options: list[InstanceOption]) -> float:
    choices = [[o for o in options if o.holds(c.shape)] for c in components]
    best = math.inf
    for pick in itertools.product(*choices):
        cost = 0.0
        for option in set(pick):
            copies = [
                c.shape for c, o in zip(components, pick, strict=True) if o == option for _ in range(c.copies)
            ]
            cost += _fewest_instances(option, copies) * option.usd_per_hour
        best = min(best, cost)
    return best


SMALL_SHAPES = [
    Shape(1, 2, 8192),
    Shape(1, 4, 16384),
    Shape(2, 8, 32768),
    Shape(0, 1, 4096),
    Shape(0, 2, 8192),
]


@pytest.mark.parametrize("seed", range(25))
def test_milp_equals_the_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    components = [
        Component(f"c{i}", rng.choice(SMALL_SHAPES), rng.randint(1, 3)) for i in range(rng.randint(2, 4))
    ]
    placement = milp.solve(components, OPTIONS)
    assert layout.problems(placement, components) == []
    assert placement.usd_per_hour == pytest.approx(_brute_force(components, OPTIONS), rel=1e-9)


def test_shared_pool_beats_one_endpoint_per_model() -> None:
    # four 1-GPU models: four ml.small (4.0) separately, one ml.quad (3.5) together
    components = [Component(f"m{i}", Shape(1, 4, 16384), 1) for i in range(4)]
    exact = milp.solve(components, OPTIONS)
    assert exact.pools() == {"ml.quad": 1}
    assert heuristics.one_endpoint_per_model(components, OPTIONS).usd_per_hour == 4.0


@pytest.mark.parametrize("models", [10, 50, 200])
def test_generated_fleets_valid_and_never_worse_than_the_heuristics(models: int) -> None:
    components = fleet(models, seed=3)
    options = problem.options("us-east-1", ["ml.g5.*", "ml.g6.*", "ml.m5.*"])
    exact = milp.solve(components, options)
    bound = milp.solve(components, options, relax=True).gap or 0.0
    assert exact.status == "optimal"
    for placement in (
        exact,
        heuristics.one_endpoint_per_model(components, options),
        heuristics.first_fit(components, options),
    ):
        assert layout.problems(placement, components) == [], placement.method
        assert exact.usd_per_hour <= placement.usd_per_hour + 1e-6
    assert bound <= exact.usd_per_hour + 1e-6
    assert (exact.usd_per_hour - bound) / exact.usd_per_hour < 0.01  # within 1 % of a proven lower bound


def test_the_checker_catches_an_overfull_instance() -> None:
    components = [Component("a", Shape(1, 4, 16384), 2)]
    bad = layout.Placement("hand-made", [layout.Instance(SMALL, {"a": 2})], {"a": "ml.small"})
    assert any("over capacity" in p for p in layout.problems(bad, components))


def test_a_copy_no_type_holds_is_a_clear_error() -> None:
    with pytest.raises(SagespecError, match="no allowed, priced instance type holds one copy"):
        milp.solve([Component("huge", Shape(16, 8, 1024), 1)], OPTIONS)


def test_bench_shapes_fit_the_catalog() -> None:
    options = problem.options("us-east-1", ["ml.g5.*", "ml.g6.*", "ml.m5.*"])
    assert all(any(o.holds(s) for o in options) for s in SHAPES)


def test_the_bench_reports_optimality_and_refuses_an_unproven_placement_far_from_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = bench.measure(10)
    assert row["milp_status"] == "optimal" and row["gap_to_bound_percent"] < bench.MAX_GAP_PERCENT
    assert "proven optimal by CBC on 1 of 1 fleets" in bench.report([row])
    solve = milp.solve

    def stopped_early(*args: object, **kwargs: object) -> layout.Placement:
        found = solve(*args, **kwargs)  # type: ignore[arg-type]
        if kwargs.get("relax"):
            return layout.Placement(found.method, [], {}, status=found.status, gap=(found.gap or 0.0) * 0.9)
        unproven = "time limit: best found"
        return layout.Placement(found.method, found.instances, found.assignment, status=unproven)

    monkeypatch.setattr(milp, "solve", stopped_early)  # an unproven answer 10 % above a (lowered) bound
    with pytest.raises(SystemExit, match="above the LP bound"):
        bench.measure(10)
