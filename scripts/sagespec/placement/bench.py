"""Placement benchmark: the MILP against one endpoint per model and first-fit, on generated fleets.

Fleets mix the per-copy shapes teams use (1, 2 or 4 GPUs for LLMs; CPU-only embedders) with 1-4
copies each, placed on the price catalog's priced g5, g6 and m5 types in us-east-1. For every
fleet it reports each method's $/hour, the MILP's solve time, and the MILP's distance to the LP
relaxation's bound (a proven lower bound on any placement's cost: the optimum lies in between).
"""

from __future__ import annotations

import random
import time
from typing import Any

from . import heuristics, layout, milp, problem

SIZES = (10, 25, 50, 100, 200)
MAX_GAP_PERCENT = 1.0  # issue 14: the placement's cost within 1 % of the optimum
ALLOWED = ["ml.g5.*", "ml.g6.*", "ml.m5.*"]
SHAPES = (
    problem.Shape(1, 2, 8192),
    problem.Shape(1, 4, 16384),
    problem.Shape(1, 8, 24576),
    problem.Shape(2, 8, 32768),
    problem.Shape(4, 16, 65536),
    problem.Shape(0, 1, 2048),
    problem.Shape(0, 2, 4096),
)


def fleet(models: int, seed: int) -> list[problem.Component]:
    rng = random.Random(seed)
    return [
        problem.Component(f"model-{i:03d}", rng.choice(SHAPES), rng.choice((1, 1, 2, 3, 4)))
        for i in range(models)
    ]


def measure(models: int, seed: int = 7) -> dict[str, Any]:
    components = fleet(models, seed)
    options = problem.options("us-east-1", ALLOWED)
    started = time.perf_counter()
    exact = milp.solve(components, options)
    solve_s = time.perf_counter() - started
    bound = milp.solve(components, options, relax=True).gap or 0.0
    separate = heuristics.one_endpoint_per_model(components, options)
    greedy = heuristics.first_fit(components, options)
    for placement in (exact, separate, greedy):
        wrong = layout.problems(placement, components)
        if wrong:
            raise SystemExit(f"{placement.method} placement is invalid: {wrong[:3]}")
    gap = (exact.usd_per_hour - bound) / exact.usd_per_hour * 100
    # proven optimal is the optimum; else the optimum lies between the bound and the MILP's cost
    if exact.status != "optimal" and gap >= MAX_GAP_PERCENT:
        raise SystemExit(f"{models} models: the MILP is {gap:.2f} % above the LP bound ({exact.status})")
    return {
        "models": models,
        "copies": sum(c.copies for c in components),
        "milp_usd_per_hour": round(exact.usd_per_hour, 3),
        "lp_bound_usd_per_hour": round(bound, 3),
        "gap_to_bound_percent": round(gap, 3),
        "per_model_usd_per_hour": round(separate.usd_per_hour, 3),
        "first_fit_usd_per_hour": round(greedy.usd_per_hour, 3),
        "milp_status": exact.status,
        "solve_s": round(solve_s, 3),
    }


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "placement: least-cost pools for generated fleets (us-east-1 prices, g5/g6/m5)",
        f"{'models':>6} {'copies':>6} {'MILP $/h':>9} {'LP bound':>9} {'gap %':>6} {'per-model $/h':>14} "
        f"{'first-fit $/h':>14} {'solve s':>8}",
    ]
    for r in rows:
        lines.append(
            f"{r['models']:>6} {r['copies']:>6} {r['milp_usd_per_hour']:>9.2f} "
            f"{r['lp_bound_usd_per_hour']:>9.2f} {r['gap_to_bound_percent']:>6.2f} "
            f"{r['per_model_usd_per_hour']:>14.2f} "
            f"{r['first_fit_usd_per_hour']:>14.2f} {r['solve_s']:>8.2f}"
        )
    optimal = sum(r["milp_status"] == "optimal" for r in rows)
    lines.append(
        f"MILP proven optimal by CBC on {optimal} of {len(rows)} fleets; the rest within "
        f"{MAX_GAP_PERCENT:g} % of the LP bound (checked)"
    )
    return "\n".join(lines)
