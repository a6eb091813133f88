"""What a rendered environment costs per hour and per month, from the sourced price catalog.

Assumptions (stated in the review): instances bill every hour they run; "now" counts the initial
instance count, "max" the autoscaling or managed-scaling maximum; inference components add no
cost of their own (their pool's instances do), and LoRA adapters run on their base's copies, so
their cost is the base's share; serverless bills only provisioned concurrency when
idle (on-demand requests are usage-based and not estimated); async endpoints that scale to zero
still start with their initial instances. A month is 730 hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import catalogs

HOURS_PER_MONTH = 730


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


def endpoint_cost(key: str, endpoint: dict[str, Any], region: str) -> EndpointCost:
    kind = endpoint["type"]
    if kind == "serverless":
        return _serverless(key, endpoint, region)
    instance_type = endpoint["instance_type"]
    count = int(endpoint["initial_instance_count"] or 1)
    high = count
    if endpoint.get("autoscaling"):
        high = max(count, int(endpoint["autoscaling"]["max_capacity"]))
    if endpoint.get("managed_instance_scaling"):
        high = max(count, int(endpoint["managed_instance_scaling"]["max_instances"]))
    price = catalogs.instance_price(instance_type, region)
    note = {"pool": "shared pool for inference components", "async": "async endpoint"}.get(
        kind, "real-time endpoint"
    )
    if kind == "async" and endpoint.get("autoscaling") and endpoint["autoscaling"]["min_capacity"] == 0:
        note += "; scales to 0 when idle"
    if price is None:
        note, source = f"{note}; no price for {instance_type} in {region}", None
    else:
        source = f"{price.source} ({price.as_of})"
    rate = None if price is None else price.usd_per_hour
    return EndpointCost(
        key,
        endpoint["name"],
        kind,
        instance_type,
        count,
        high,
        None if rate is None else rate * count,
        None if rate is None else rate * high,
        note,
        source,
    )


def _serverless(key: str, endpoint: dict[str, Any], region: str) -> EndpointCost:
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


def env_cost(rendered: dict[str, Any]) -> EnvCost:
    region = rendered["aws"]["region"]
    result = EnvCost(rendered["environment"], region)
    for key, endpoint in sorted(rendered["endpoints"].items()):
        result.endpoints.append(endpoint_cost(key, endpoint, region))
    return result
