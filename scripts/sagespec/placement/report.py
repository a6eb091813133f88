"""What `sagespec place` prints: the least-cost pools, the assignment, and the spec changes."""

from __future__ import annotations

from typing import Any

from ..spec.project import Resolution
from . import fleet
from .layout import Placement


def as_json(resolution: Resolution, choice: Placement, current: float | None) -> dict[str, Any]:
    names = fleet.pool_names(resolution, choice)
    pools = [
        {
            "name": names[t],
            "instance_type": t,
            "instance_count": n,
            "usd_per_hour": round(n * _price(choice, t), 4),
        }
        for t, n in choice.pools().items()
    ]
    return {
        "pools": pools,
        "assignment": {c: names[t] for c, t in sorted(choice.assignment.items())},
        "usd_per_hour": round(choice.usd_per_hour, 4),
        "current_usd_per_hour": None if current is None else round(current, 4),
        "solver": {"status": choice.status, "seconds": round(choice.seconds, 3)},
        "changes": [vars(c) for c in fleet.changes(resolution, choice)],
    }


def _price(choice: Placement, instance_type: str) -> float:
    return next(i.option.usd_per_hour for i in choice.instances if i.option.type == instance_type)


def print_text(env: str, resolution: Resolution, choice: Placement, current: float | None) -> None:
    names = fleet.pool_names(resolution, choice)
    now = "no price" if current is None else f"${current:,.2f}/hour"
    print(
        f"{env}: {len(choice.assignment)} inference components on {len(choice.pools())} pool(s) for "
        f"${choice.usd_per_hour:,.2f}/hour (now {now}); solver {choice.status} in {choice.seconds:.2f} s"
    )
    for instance_type, count in choice.pools().items():
        members = sorted(c for c, t in choice.assignment.items() if t == instance_type)
        print(f"  pool {names[instance_type]}: {count} x {instance_type}  <- {', '.join(members)}")
    changed = fleet.changes(resolution, choice)
    if not changed:
        print("spec changes: none (the specs already place the components at least cost)")
        return
    print(f"spec changes (in `environments.{env}` to change only this environment):")
    for change in changed:
        before = "" if change.before is None else f"{change.before} -> "
        after = "" if change.after is None else str(change.after)
        print(f"  {change.file}: {change.field}: {before}{after}")
