"""Cost per endpoint and per environment, base against head, from sagespec.cost.model and the price catalog.

An endpoint that is absent on one side costs 0 there (and counts as priced there); an endpoint whose
instance has no sourced price shows "no price" (None) and is left out of every total and delta, never
guessed: a delta is only ever taken over endpoints priced on both sides, and the endpoints left out are
counted and named. The catalog figures used, with their sources, are in price_sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import reader as catalogs
from ..cost import model as cost
from ..render.types import Endpoint, Rendered, Serverless
from .money import usd

HOURS_PER_MONTH = cost.HOURS_PER_MONTH


@dataclass(frozen=True)
class Sizing:
    """What one side runs for an endpoint."""

    instance_type: str | None
    instances: int
    max_instances: int
    serverless: Serverless | None

    def text(self) -> str:
        if self.serverless is not None:
            provisioned = self.serverless.get("provisioned_concurrency") or 0
            return f"serverless {self.serverless.get('memory_mb')} MB, {provisioned} provisioned"
        scaling = f" (max {self.max_instances})" if self.max_instances != self.instances else ""
        return f"{self.instance_type} x{self.instances}{scaling}"


@dataclass(frozen=True)
class Share:
    """An inference component's part of its pool, for chargeback."""

    key: str
    copies: int
    hourly: float | None


@dataclass(frozen=True)
class EndpointCostDiff:
    key: str
    name: str
    type: str
    base: Sizing | None  # None: absent in the base
    head: Sizing | None
    hourly_base: float | None  # None: absent, or no price (see priced_base)
    hourly_head: float | None
    hourly_max_head: float | None
    priced_base: bool
    priced_head: bool
    note: str
    components: tuple[str, ...] = ()  # inference components on a pool: "mistral-7b-instruct x4"
    shares: tuple[Share, ...] = ()
    idle: bool = False

    @property
    def priced(self) -> bool:
        """Every side that exists has a sourced price."""
        return self.priced_base and self.priced_head

    @property
    def delta(self) -> float | None:
        """Head minus base per hour; None when a side that exists has no price."""
        if not self.priced:
            return None
        return (self.hourly_head or 0.0) - (self.hourly_base or 0.0)

    @property
    def changed(self) -> bool:
        """What it runs, or what that costs, differs between the sides."""
        sizes = (self.base.text() if self.base else None, self.head.text() if self.head else None)
        return sizes[0] != sizes[1] or (self.delta is not None and abs(self.delta) >= 0.0005)

    @property
    def monthly_head(self) -> float | None:
        return None if self.hourly_head is None else self.hourly_head * HOURS_PER_MONTH

    @property
    def monthly_base(self) -> float | None:
        return None if self.hourly_base is None else self.hourly_base * HOURS_PER_MONTH


@dataclass(frozen=True)
class Total:
    hourly: float  # priced endpoints only
    hourly_max: float
    unpriced: int  # endpoints with no sourced price, not counted above
    unpriced_keys: tuple[str, ...] = ()

    @property
    def monthly(self) -> float:
        return self.hourly * HOURS_PER_MONTH


@dataclass
class EnvCostDiff:
    env: str
    region: str | None
    rows: list[EndpointCostDiff] = field(default_factory=list)
    base: Total | None = None  # None: the side is not known (head does not validate) or absent
    head: Total | None = None

    @property
    def delta_hourly(self) -> float | None:
        """Head minus base over the endpoints priced on both sides; None when the head is unknown."""
        if self.head is None:
            return None
        return sum(r.delta for r in self.rows if r.delta is not None)

    @property
    def delta_monthly(self) -> float | None:
        delta = self.delta_hourly
        return None if delta is None else delta * HOURS_PER_MONTH

    @property
    def unpriced_rows(self) -> list[EndpointCostDiff]:
        """Endpoints left out of the delta: a side that exists has no price."""
        return [r for r in self.rows if not r.priced]

    @property
    def complete(self) -> bool:
        return self.head is not None and not self.unpriced_rows

    def comparable(self) -> tuple[float, float]:
        """Base and head $/h over the endpoints priced on both sides, so head - base is the delta."""
        rows = [r for r in self.rows if r.priced]
        return sum(r.hourly_base or 0.0 for r in rows), sum(r.hourly_head or 0.0 for r in rows)


def env_cost_diff(env: str, base: Rendered | None, head: Rendered | None) -> EnvCostDiff:
    old = cost.env_cost(base) if base else None
    new = cost.env_cost(head) if head else None
    either = new or old
    region = either.region if either is not None else None
    result = EnvCostDiff(env, region, base=_total(old), head=_total(new))
    old_by = {e.key: e for e in old.endpoints} if old else {}
    new_by = {e.key: e for e in new.endpoints} if new else {}
    placed = _copies(head) if head else {}
    adapters = _adapters(head) if head else {}
    for key in sorted(set(old_by) | set(new_by)):
        a, b = old_by.get(key), new_by.get(key)
        if new is None and b is None and a is not None:
            continue  # the head is unknown: no row can be compared
        endpoint_a = base["endpoints"].get(key) if base else None
        endpoint_b = head["endpoints"].get(key) if head else None
        latest = b or a
        assert latest is not None
        copies = placed.get(key, {})
        notes = [latest.note, *_instance_change(a, b, endpoint_b, str(region))]
        result.rows.append(
            EndpointCostDiff(
                key,
                latest.name,
                latest.type,
                _sizing(a, endpoint_a),
                _sizing(b, endpoint_b),
                a.hourly if a else None,
                b.hourly if b else None,
                b.hourly_max if b else None,
                a is None or a.hourly is not None,
                b is None or b.hourly is not None,
                "; ".join(notes),
                (
                    *(f"{k} x{n}" for k, n in sorted(copies.items())),
                    *_adapter_lines(adapters.get(key, []), dict(b.shares) if b else {}),
                ),
                tuple(Share(k, copies.get(k, 0), usd) for k, usd in (b.shares if b else ())),
                bool(b and b.idle),
            )
        )
    return result


def _instance_change(
    old: cost.EndpointCost | None, new: cost.EndpointCost | None, endpoint: Endpoint | None, region: str
) -> list[str]:
    """On an autoscaled endpoint a new instance type means a new endpoint config, which starts at its
    initial count whatever autoscaling had reached: say so, and what that costs meanwhile."""
    if old is None or new is None or endpoint is None or old.instance_type == new.instance_type:
        return []
    if not (endpoint.get("autoscaling") or endpoint.get("managed_instance_scaling")):
        return []
    start = new.initial_instances or 1
    price = catalogs.instance_price(str(new.instance_type), region)
    # the same figures as the table's $/h columns: ml.m5.large is $0.115/h, not $0.12/h
    meanwhile = "no price" if price is None else f"{usd(price.usd_per_hour * start)}/h"
    return [
        f"instance type changes from {old.instance_type} to {new.instance_type}: capacity drops to the new "
        f"config's initial {start} x {new.instance_type} until autoscaling scales out again "
        f"({meanwhile} meanwhile)"
    ]


def _total(costs: cost.EnvCost | None) -> Total | None:
    if costs is None:
        return None
    unpriced = tuple(e.key for e in costs.unpriced)
    return Total(costs.hourly, costs.hourly_max, len(unpriced), unpriced)


def _sizing(costed: cost.EndpointCost | None, endpoint: Endpoint | None) -> Sizing | None:
    if costed is None:
        return None
    serverless = endpoint.get("serverless") if endpoint else None
    return Sizing(costed.instance_type, costed.instances, costed.max_instances, serverless)


def _adapters(rendered: Rendered) -> dict[str, list[tuple[str, str]]]:
    """Pool key -> (adapter key, base component key): adapters run on their base's copies."""
    placed: dict[str, list[tuple[str, str]]] = {}
    for key, adapter in sorted((rendered.get("inference_component_adapters") or {}).items()):
        placed.setdefault(str(adapter.get("endpoint_key")), []).append((key, str(adapter.get("base_key"))))
    return placed


def _adapter_lines(adapters: list[tuple[str, str]], shares: dict[str, float | None]) -> list[str]:
    lines = []
    for key, base in adapters:
        share = shares.get(base)
        amount = "" if share is None else f" of ${share:,.2f}/h"
        lines.append(f"{key} (LoRA adapter on {base}: in the base's share{amount})")
    return lines


def _copies(rendered: Rendered) -> dict[str, dict[str, int]]:
    """Pool key -> component key -> initial copies."""
    placed: dict[str, dict[str, int]] = {}
    for key, component in sorted((rendered.get("inference_components") or {}).items()):
        pool = str(component.get("endpoint_key"))
        placed.setdefault(pool, {})[key] = int(component.get("copies") or 0)
    return placed


@dataclass(frozen=True)
class Headline:
    """The review's money line: totals over priced endpoints only, and what was left out."""

    base_monthly: float  # over endpoints priced on both sides, like the delta
    head_monthly: float
    delta_monthly: float
    unpriced: tuple[str, ...]  # "prod/minilm-embeddings"
    unknown_envs: tuple[str, ...]  # head does not validate: no cost at all

    @property
    def complete(self) -> bool:
        return not self.unpriced and not self.unknown_envs


def headline(costs: list[EnvCostDiff]) -> Headline:
    known = [c for c in costs if c.head is not None]
    base = sum(c.comparable()[0] for c in known) * HOURS_PER_MONTH
    head = sum(c.comparable()[1] for c in known) * HOURS_PER_MONTH
    delta = sum(c.delta_monthly or 0.0 for c in known)
    unpriced = tuple(f"{c.env}/{r.key}" for c in known for r in c.unpriced_rows)
    return Headline(base, head, delta, unpriced, tuple(c.env for c in costs if c.head is None))
