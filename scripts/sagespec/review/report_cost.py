"""What the report's cost and policy sections show, as text for templates/cost.md.j2: table rows,
the headline money line and the lines that count or name what is left out."""

from __future__ import annotations

from .costing import HOURS_PER_MONTH, EndpointCostDiff, EnvCostDiff, Headline, Sizing
from .model import EnvReview, Review
from .money import signed, usd
from .policy_check import CANNOT, FAIL, OFF, PASS, UNKNOWN
from .report_text import code, plain, plural

MAX_NAMED = 10  # unpriced endpoints named in full; the JSON output names them all
POLICY_ICONS = {
    PASS: "✅ pass",
    FAIL: "❌ fail",
    OFF: "➖ off",
    UNKNOWN: "❔ not evaluated",
    CANNOT: "⚠️ cannot check",
}
COST_HEADER = [
    "endpoint",
    "type",
    "instances (base → head)",
    "$/h base",
    "$/h head",
    "Δ $/h",
    "$/month head",
    "max $/h head",
    "notes",
]


def env_label(env: EnvReview) -> str:
    return f"**{env.env}** 🔒" if env.protected else f"**{env.env}**"


def bold_if_moves(text: str, delta: float | None, at_least: float) -> str:
    return f"**{text}**" if delta is not None and abs(delta) >= at_least else text


def named(keys: tuple[str, ...] | list[str]) -> str:
    """The first MAX_NAMED keys as code, and how many more."""
    listed = ", ".join(code(k) for k in keys[:MAX_NAMED])
    return listed + (f" and {len(keys) - MAX_NAMED} more" if len(keys) > MAX_NAMED else "")


def headline_money(line: Headline) -> str:
    """Base -> head $/month and the delta over priced endpoints only; what is not priced is named."""
    money = f"{usd(line.base_monthly, cents=True)} → {usd(line.head_monthly, cents=True)}/month"
    money += f" ({signed(line.delta_monthly, cents=True)}"
    money += " over the endpoints priced on both sides)" if line.unpriced else ")"
    if line.unpriced:
        count = plural(len(line.unpriced), "endpoint")
        money += f"; ⚠️ {count} without a price, not counted: {named(line.unpriced)}"
    if line.unknown_envs:
        money += f"; not known in {', '.join(line.unknown_envs)} (does not validate)"
    return money


def monthly(cost: EnvCostDiff) -> str:
    """Base -> head $/month over the endpoints priced on both sides (their difference is the delta)."""
    old, new = cost.comparable()
    base = usd(old * HOURS_PER_MONTH, cents=True) if cost.base else "—"
    head = usd(new * HOURS_PER_MONTH, cents=True) if cost.head else "unknown"
    unpriced = len(cost.unpriced_rows) if cost.head else 0
    return f"{base} → {head}" + (f" (+{unpriced} no price)" if unpriced else "")


def shown(cost: EnvCostDiff) -> list[EndpointCostDiff]:
    """The rows worth a line: changed, or an idle pool (flagged even when unchanged)."""
    return [r for r in cost.rows if r.changed or r.idle]


def rest_line(cost: EnvCostDiff) -> str:
    rest = [r for r in cost.rows if r not in shown(cost)]
    hourly = sum(r.hourly_head or 0.0 for r in rest)
    unpriced = sum(1 for r in rest if not r.priced)
    per_month = usd(hourly * HOURS_PER_MONTH, cents=True)
    text = f"{plural(len(rest), 'endpoint')} unchanged: {usd(hourly)}/h, {per_month}/month"
    return text + (f" ({unpriced} of them without a price, not counted)" if unpriced else "")


def unpriced_line(cost: EnvCostDiff) -> str:
    return f"⚠️ No price, left out of the totals and the delta: {named([r.key for r in cost.unpriced_rows])}."


def rows(cost: EnvCostDiff) -> list[list[str]]:
    """The changed rows, a line for the rest, and the total."""
    out = [_row(row) for row in shown(cost)]
    if len(out) < len(cost.rows):
        out.append(["", "", "", "", "", "", "", "", plain(rest_line(cost))])
    return [*out, _total_row(cost)]


def _row(row: EndpointCostDiff) -> list[str]:
    base = "—" if row.base is None else usd(row.hourly_base)
    head = "—" if row.head is None else usd(row.hourly_head)
    delta = bold_if_moves(signed(row.delta), row.delta, 0.0005)
    per_month = "—" if row.head is None else usd(row.monthly_head, cents=True)
    high = "—" if row.head is None else usd(row.hourly_max_head)
    sizes = _sizes(row.base, row.head)
    return [code(row.key), row.type, sizes, base, head, delta, per_month, high, plain(_row_note(row))]


def _sizes(base: Sizing | None, head: Sizing | None) -> str:
    if base is not None and head is not None and base.text() == head.text():
        return head.text()
    text = f"{base.text() if base else '—'} → {head.text() if head else '—'}"
    if base is not None and head is not None and base.instance_type == head.instance_type:
        extra = head.instances - base.instances
        if extra:
            text += f" (**{'+' if extra > 0 else ''}{extra} instance{'' if abs(extra) == 1 else 's'}**)"
    return text


def _row_note(row: EndpointCostDiff) -> str:
    parts = ["hosts " + ", ".join(row.components)] if row.components else []
    if row.shares and any(s.hourly is not None for s in row.shares):
        parts.append("chargeback " + ", ".join(f"{s.key} {usd(s.hourly)}/h" for s in row.shares))
    # cost notes start with the endpoint kind ("real-time endpoint; ..."), which the type column shows
    note = row.note if row.type == "serverless" else row.note.partition("; ")[2]
    parts += [("⚠️ " if row.idle else "") + note] if note else []
    parts += ["removed"] if row.head is None else ["new"] if row.base is None else []
    return "; ".join(parts)


def _total_row(cost: EnvCostDiff) -> list[str]:
    old, new = cost.comparable()  # priced on both sides: base - head is the delta column
    base = f"**{usd(old)}**" if cost.base else "—"
    head = f"**{usd(new)}**" if cost.head else "—"
    per_month = f"**{usd(new * HOURS_PER_MONTH, cents=True)}**" if cost.head else "—"
    high = f"**{usd(cost.head.hourly_max)}**" if cost.head else "—"
    unpriced = len(cost.unpriced_rows)
    note = f"{plural(unpriced, 'endpoint')} without a price on a side not counted" if unpriced else ""
    return ["**total**", "", "", base, head, f"**{signed(cost.delta_hourly)}**", per_month, high, note]


def policy_rows(review: Review) -> list[list[str]]:
    return [
        [
            env_label(env),
            check.rule,
            code(check.setting),
            f"{POLICY_ICONS[check.status]}: {plain(check.detail)}",
        ]
        for env in review.envs
        for check in env.policy
    ]


def policy_summary(review: Review) -> str:
    """The folded policy table's one line when nothing failed."""
    unknown = sorted({env.env for env in review.envs for c in env.policy if c.status == UNKNOWN})
    cannot = sorted({env.env for env in review.envs for c in env.policy if c.status == CANNOT})
    parts = [f"not evaluated in {', '.join(unknown)} (does not validate)"] if unknown else []
    parts += [f"cannot check every rule in {', '.join(cannot)} (a price is missing)"] if cannot else []
    return "no policy failure; " + "; ".join(parts) if parts else "✅ every policy rule passes (or is off)"


def short_url(url: str) -> str:
    """A readable label for a long source URL: host and file name."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return f"{host}/…/{tail}" if tail and tail != host else host
