"""Least-cost placement as a mixed-integer program, solved by CBC through PuLP.

Pattern formulation (Gilmore-Gomory style): for every instance type the solver chooses how many
instances run each maximal "pattern" (copies per copy shape that fit on one instance together),
and every component picks exactly one pool (instance type). Copies of equal shape are
interchangeable inside a pool, so covering each shape's copies with pattern slots is exact:

    minimise   sum_t,p  price_t * w[t,p]
    subject to sum_t z[i,t] = 1                                   every component on one pool
               sum_p w[t,p] * slots[p][s] >= sum_{i of shape s} copies_i * z[i,t]   (each t, s)
               z binary, w integer >= 0

https://coin-or.github.io/pulp/ (PuLP, bundled CBC); pattern enumeration is bounded by capacity
and by each shape's total demand.
"""

from __future__ import annotations

import time
import warnings
from collections import defaultdict

import pulp

from ..errors import SagespecError
from .heuristics import holders, per_instance
from .layout import Instance, Placement
from .problem import Component, InstanceOption, Shape

MAX_PATTERNS = 20_000  # per instance type; beyond this the model is too big to build quickly


def patterns(option: InstanceOption, demand: dict[Shape, int]) -> list[dict[Shape, int]]:
    """Maximal sets of copies (per shape) that fit together on one instance of `option`."""
    shapes = [s for s in demand if option.holds(s) and demand[s] > 0]
    found: list[dict[Shape, int]] = []

    def fits(acc: float, cpu: float, mem: float, shape: Shape) -> bool:
        return (
            acc + shape.accelerators <= option.gpus
            and cpu + shape.cpus <= option.vcpus + 1e-9
            and mem + shape.memory_mb <= option.memory_mb + 1e-9
        )

    def walk(index: int, counts: dict[Shape, int], acc: float, cpu: float, mem: float) -> None:
        if len(found) > MAX_PATTERNS:
            return
        if index == len(shapes):
            maximal = all(counts.get(s, 0) >= demand[s] or not fits(acc, cpu, mem, s) for s in shapes)
            if maximal and any(counts.values()):
                found.append({s: n for s, n in counts.items() if n})
            return
        shape = shapes[index]
        top = min(demand[shape], per_instance(option, shape))
        for n in range(top, -1, -1):
            a, c, m = acc + n * shape.accelerators, cpu + n * shape.cpus, mem + n * shape.memory_mb
            if a <= option.gpus and c <= option.vcpus + 1e-9 and m <= option.memory_mb + 1e-9:
                counts[shape] = n
                walk(index + 1, counts, a, c, m)
        counts.pop(shape, None)

    walk(0, {}, 0.0, 0.0, 0.0)
    if len(found) > MAX_PATTERNS:
        raise SagespecError(
            f"too many ways to pack copies on {option.type} (over {MAX_PATTERNS:,})",
            "narrow the environment's allowed_instance_types or use fewer distinct per-copy resources",
        )
    return found


def solve(
    components: list[Component],
    options: list[InstanceOption],
    time_limit_s: float = 60.0,
    gap: float = 0.0,
    relax: bool = False,
) -> Placement:
    """The least-cost placement (or, with relax, only its LP bound in `usd_per_hour` terms via gap)."""
    started = time.perf_counter()
    demand: dict[Shape, int] = defaultdict(int)
    for component in components:
        demand[component.shape] += component.copies
    category = pulp.LpContinuous if relax else pulp.LpInteger
    problem = pulp.LpProblem("placement", pulp.LpMinimize)
    z: dict[tuple[str, str], pulp.LpVariable] = {}
    for i, component in enumerate(components):
        for option in holders(component, options):
            z[component.name, option.type] = problem.add_variable(
                f"z_{i}_{_safe(option.type)}", 0, 1, category
            )
        problem += pulp.lpSum(v for (name, _), v in z.items() if name == component.name) == 1
    used_types = {t for _, t in z}
    w: dict[tuple[str, int], pulp.LpVariable] = {}
    slots: dict[tuple[str, int], dict[Shape, int]] = {}
    cost = []
    for option in options:
        if option.type not in used_types:
            continue
        for p, pattern in enumerate(patterns(option, demand)):
            var = problem.add_variable(f"w_{_safe(option.type)}_{p}", 0, None, category)
            w[option.type, p], slots[option.type, p] = var, pattern
            cost.append(option.usd_per_hour * var)
        for shape in demand:
            need = [
                c.copies * z[c.name, option.type]
                for c in components
                if c.shape == shape and (c.name, option.type) in z
            ]
            if need:
                have = [slots[key].get(shape, 0) * var for key, var in w.items() if key[0] == option.type]
                problem += pulp.lpSum(have) >= pulp.lpSum(need)
    problem += pulp.lpSum(cost)
    with warnings.catch_warnings():
        # PuLP 3 warns that PULP_CBC_CMD leaves in 4.0 (with the bundled CBC; pyproject pins < 4)
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=gap)
        problem.solve(solver)
    seconds = time.perf_counter() - started
    if pulp.LpStatus[problem.status] != "Optimal":
        raise SagespecError(f"the placement solver found no solution ({pulp.LpStatus[problem.status]})")
    status = "optimal" if problem.sol_status == pulp.LpSolutionOptimal else "time limit: best found"
    if relax:
        bound = float(pulp.value(problem.objective) or 0.0)
        return Placement("LP bound", [], {}, seconds, status, gap=bound)
    return _layout(components, options, z, w, slots, seconds, status)


def _layout(
    components: list[Component],
    options: list[InstanceOption],
    z: dict[tuple[str, str], pulp.LpVariable],
    w: dict[tuple[str, int], pulp.LpVariable],
    slots: dict[tuple[str, int], dict[Shape, int]],
    seconds: float,
    status: str,
) -> Placement:
    by_type = {o.type: o for o in options}
    assignment = {name: t for (name, t), var in z.items() if (var.value() or 0) > 0.5}
    instances: list[Instance] = []
    for type_name, option in by_type.items():
        free: list[tuple[Instance, dict[Shape, int]]] = []
        for key, var in w.items():
            if key[0] == type_name:
                for _ in range(round(var.value() or 0)):
                    free.append((Instance(option), dict(slots[key])))
        for component in components:
            if assignment.get(component.name) != type_name:
                continue
            left = component.copies
            for instance, room in free:
                take = min(left, room.get(component.shape, 0))
                if take:
                    room[component.shape] -= take
                    instance.copies[component.name] = instance.copies.get(component.name, 0) + take
                    left -= take
            assert left == 0, "pattern slots cover every copy by construction"
        instances.extend(i for i, _ in free if i.copies)
    return Placement("MILP (CBC)", instances, assignment, seconds, status)


def _safe(name: str) -> str:
    return name.replace(".", "_").replace("-", "_")
