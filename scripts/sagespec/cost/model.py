"""What a rendered environment costs per hour and per month, from the sourced price catalog.

Assumptions (stated in the review): instances bill every hour they run, at the on-demand list
price; a month is 730 hours. Real-time endpoints count their initial instances now and the
autoscaling maximum at most. A shared pool counts the instances needed to place the initial
copies of its inference components (copies packed whole by accelerators, vCPUs and memory),
never fewer than its initial count and never more than managed scaling allows; at most it counts
what the copy autoscaling maximum needs. Each inference component is charged its share of the
pool by the accelerators, vCPUs or memory it reserves, whichever is the largest fraction; LoRA
adapters run on their base's copies, so their cost is the base's share.
Async endpoints that scale to zero count their minimum (0) now and the maximum as the burst
(same hourly rate as real-time). Serverless counts provisioned concurrency, kept warm every
hour; on-demand serverless requests are billed per use and not estimated. Pools whose managed
scaling goes below that count (to 0 with scale-to-zero components) say what they cost at the minimum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalog import reader as catalogs
from .packing import Group, Resources, instances_needed

HOURS_PER_MONTH = 730

Json = dict[str, Any]


@dataclass(frozen=True)
class EndpointCost:
    key: str
    name: str
    type: str
    instance_type: str | None
    instances: int
    max_instances: int
    hourly: float | None  # None: no sourced price
    hourly_max: float | None
    note: str
    source: str | None
    initial_instances: int = 0  # what the endpoint config starts with (pools may need more)
    idle: bool = False  # a pool that no inference component uses, still billed
    shares: tuple[tuple[str, float | None], ...] = ()  # pool: (component key, $/h share) for chargeback

    @property
    def priced(self) -> bool:
        return self.hourly is not None

    @property
    def monthly(self) -> float | None:
        return None if self.hourly is None else self.hourly * HOURS_PER_MONTH


@dataclass
class EnvCost:
    env: str
    region: str
    endpoints: list[EndpointCost] = field(default_factory=list)

    @property
    def hourly(self) -> float:
        return sum(e.hourly or 0.0 for e in self.endpoints)

    @property
    def hourly_max(self) -> float:
        return sum(e.hourly_max or 0.0 for e in self.endpoints)

    @property
    def monthly(self) -> float:
        return self.hourly * HOURS_PER_MONTH

    @property
    def unpriced(self) -> list[EndpointCost]:
        return [e for e in self.endpoints if e.hourly is None]


def endpoint_cost(
    key: str, endpoint: Json, region: str, components: dict[str, Json] | None = None
) -> EndpointCost:
    kind = endpoint["type"]
    if kind == "serverless":
        return _serverless(key, endpoint, region)
    if kind == "pool":
        mine = {k: c for k, c in (components or {}).items() if c.get("endpoint_key") == key}
        return _pool(key, endpoint, region, mine)
    return _instances(key, endpoint, region)


def _rate(instance_type: str, region: str) -> tuple[float | None, str | None, str]:
    price = catalogs.instance_price(instance_type, region)
    if price is None:
        return None, None, f"no price for {instance_type} in {region}"
    return price.usd_per_hour, f"{price.source} ({price.as_of})", ""


def _instances(key: str, endpoint: Json, region: str) -> EndpointCost:
    kind, instance_type = endpoint["type"], endpoint["instance_type"]
    initial = int(endpoint["initial_instance_count"] or 1)
    scaling = endpoint.get("autoscaling")
    now, high = initial, initial
    notes = ["async endpoint" if kind == "async" else "real-time endpoint"]
    if scaling:
        high = max(initial, int(scaling["max_capacity"]))
        if kind == "async" and int(scaling["min_capacity"]) == 0:
            now = 0
            notes.append(f"scales to 0 when idle: priced at its minimum of 0, burst at {high}")
    # async bills the hosting rate: the AmazonSageMaker offer file (publicationDate 2026-09-20,
    # pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/us-east-1/index.json)
    # lists USE1-AsyncInf:ml.g6e.2xlarge at the same $2.8026/h as USE1-Host:ml.g6e.2xlarge
    rate, source, missing = _rate(instance_type, region)
    notes += [missing] if missing else []
    return EndpointCost(
        key,
        endpoint["name"],
        kind,
        instance_type,
        now,
        high,
        None if rate is None else rate * now,
        None if rate is None else rate * high,
        "; ".join(notes),
        source,
        initial_instances=initial,
    )


def _groups(components: dict[str, Json], at_max: bool) -> list[Group]:
    groups = []
    for key, component in sorted(components.items()):
        copies = int(component.get("copies") or 0)
        scaling = component.get("autoscaling")
        if at_max and scaling:
            copies = max(copies, int(scaling["max_capacity"]))
        each = Resources(
            float(component.get("accelerators") or 0),
            float(component.get("cpus") or 0),
            float(component.get("memory_mb") or 0),
        )
        groups.append(Group(key, copies, each))
    return groups


def pool_capacity(instance_type: str) -> Resources | None:
    """What one pool instance offers copies, from the instance catalog; None when unknown."""
    info = catalogs.instance(instance_type)
    if info is None or info.vcpus is None or info.memory_gib is None or info.gpus is None:
        return None
    return Resources(float(info.gpus), float(info.vcpus), info.memory_gib * 1024)


def pool_bound(endpoint: Json) -> int:
    """The most instances a pool can have: managed scaling's maximum, else its fixed count."""
    initial = int(endpoint["initial_instance_count"] or 1)
    scaling = endpoint.get("managed_instance_scaling")
    return max(initial, int(scaling["max_instances"])) if scaling else initial


def _pool(key: str, endpoint: Json, region: str, components: dict[str, Json]) -> EndpointCost:
    instance_type = endpoint["instance_type"]
    initial = int(endpoint["initial_instance_count"] or 1)
    bound = pool_bound(endpoint)
    capacity = pool_capacity(instance_type)
    notes = ["shared pool for inference components"]
    now, high = initial, bound if endpoint.get("managed_instance_scaling") else initial
    if not components:
        notes.append(f"idle: no inference component runs on it, yet its {initial} instance(s) bill")
    elif capacity is None:
        notes.append(f"{instance_type} capacity unknown: priced at its initial count")
    else:
        need_now = instances_needed(_groups(components, at_max=False), capacity)
        need_max = instances_needed(_groups(components, at_max=True), capacity)
        if need_now is not None:
            now = max(initial, min(need_now, bound))
            if need_now > bound:
                notes.append(f"the initial copies need {need_now} instances, more than the {bound} allowed")
            elif now > initial:
                notes.append(f"managed scaling adds {now - initial} instance(s) to place the initial copies")
        high = now if need_max is None else max(now, min(need_max, bound))
    rate, source, missing = _rate(instance_type, region)
    managed = endpoint.get("managed_instance_scaling") or {}
    if managed and int(managed["min_instances"]) < now:
        low = int(managed["min_instances"])
        at_min = "" if rate is None else f": ${rate * low:,.2f}/h at minimum"
        notes.append(f"scales in to {low} instance(s) when its inference components do{at_min}")
    notes += [missing] if missing else []
    hourly = None if rate is None else rate * now
    return EndpointCost(
        key,
        endpoint["name"],
        "pool",
        instance_type,
        now,
        high,
        hourly,
        None if rate is None else rate * high,
        "; ".join(notes),
        source,
        initial_instances=initial,
        idle=not components,
        shares=_shares(components, capacity, hourly),
    )


def _shares(
    components: dict[str, Json], capacity: Resources | None, hourly: float | None
) -> tuple[tuple[str, float | None], ...]:
    """Each component's part of the pool's hourly cost, by the dominant resource its copies reserve."""
    if capacity is None or not components:
        return ()
    demand = {g.name: g.each.times(g.copies).dominant_share(capacity) for g in _groups(components, False)}
    whole = sum(demand.values())
    return tuple(
        (name, None if hourly is None else (hourly * part / whole if whole else 0.0))
        for name, part in sorted(demand.items())
    )


def _serverless(key: str, endpoint: Json, region: str) -> EndpointCost:
    config = endpoint["serverless"]
    provisioned = config["provisioned_concurrency"] or 0
    note = "serverless: requests billed per use, not estimated"
    if not provisioned:
        return EndpointCost(
            key, endpoint["name"], "serverless", None, 0, 0, 0.0, 0.0, note + "; idle cost 0", None
        )
    price = catalogs.serverless_price(region)
    if price is None or price.usd_per_gb_second_provisioned is None:
        return EndpointCost(
            key,
            endpoint["name"],
            "serverless",
            None,
            0,
            0,
            None,
            None,
            f"{note}; no provisioned-concurrency price in {region}",
            None,
        )
    gb = config["memory_mb"] / 1024
    hourly = provisioned * gb * 3600 * price.usd_per_gb_second_provisioned
    autoscaling = endpoint.get("autoscaling")
    high = max(provisioned, autoscaling["max_capacity"]) if autoscaling else provisioned
    return EndpointCost(
        key,
        endpoint["name"],
        "serverless",
        None,
        0,
        0,
        hourly,
        hourly * high / provisioned,
        f"{note}; {provisioned} provisioned x {gb:g} GB always on",
        f"{price.source} ({price.as_of})",
    )


def env_cost(rendered: Mapping[str, Any]) -> EnvCost:
    region = rendered["aws"]["region"]
    result = EnvCost(rendered["environment"], region)
    components = rendered.get("inference_components") or {}
    for key, endpoint in sorted(rendered["endpoints"].items()):
        result.endpoints.append(endpoint_cost(key, endpoint, region, components))
    return result
