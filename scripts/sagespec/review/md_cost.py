"""Markdown sections: cost per environment, environment policy, and the price/assumption footnote."""

from __future__ import annotations

from .costing import HOURS_PER_MONTH, EndpointCostDiff, EnvCostDiff, Sizing
from .mdtext import chunks, code, details, html, plain, plural, signed, table, usd
from .model import ENV_REMOVED, EnvReview, Review
from .policy_check import CANNOT, FAIL, OFF, PASS, UNKNOWN

TABLE_ROWS = 100
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


def monthly(cost: EnvCostDiff) -> str:
    """Base -> head $/month over the endpoints priced on both sides (their difference is the delta)."""
    old, new = cost.comparable()
    base = usd(old * HOURS_PER_MONTH, cents=True) if cost.base else "—"
    head = usd(new * HOURS_PER_MONTH, cents=True) if cost.head else "unknown"
    unpriced = len(cost.unpriced_rows) if cost.head else 0
    return f"{base} → {head}" + (f" (+{unpriced} no price)" if unpriced else "")


def costs(review: Review) -> list[str]:
    out = [
        "### Cost",
        "$ per hour while running and per month of 730 hours, on-demand list prices from the catalog. "
        "Rows show the endpoints whose size or cost changes; one line counts the rest. *no price*: the "
        "catalog has no sourced figure, so the endpoint is left out of every total and delta (never "
        "guessed) and named. Sources and assumptions are at the end.",
    ]
    for env in review.envs:
        out += _env_cost(env)
    return out


def _env_cost(env: EnvReview) -> list[str]:
    cost = env.cost
    if cost.head is None and env.status != ENV_REMOVED:
        return [f"#### {env.env}\n\nNot known: {env.env} does not validate in the head."]
    shown = [r for r in cost.rows if r.changed or r.idle]  # an idle pool is flagged even when unchanged
    rest = [r for r in cost.rows if r not in shown]
    if not shown:
        return [f"#### {env.env}\n\n{_rest_line(rest)} (no cost change).{_unpriced_line(cost)}"]
    rows = [_cost_row(row) for row in shown]
    if rest:
        rows.append(["", "", "", "", "", "", "", "", plain(_rest_line(rest))])
    rows.append(_total_row(cost))
    tables = [table(COST_HEADER, chunk, "lllrrrrrl") for chunk in chunks(rows, TABLE_ROWS)]
    return [f"#### {env.env}", *tables, *([_unpriced_line(cost).strip()] if cost.unpriced_rows else [])]


def _rest_line(rest: list[EndpointCostDiff]) -> str:
    hourly = sum(r.hourly_head or 0.0 for r in rest)
    unpriced = sum(1 for r in rest if not r.priced)
    monthly = usd(hourly * HOURS_PER_MONTH, cents=True)
    text = f"{plural(len(rest), 'endpoint')} unchanged: {usd(hourly)}/h, {monthly}/month"
    return text + (f" ({unpriced} of them without a price, not counted)" if unpriced else "")


def _unpriced_line(cost: EnvCostDiff) -> str:
    names = [r.key for r in cost.unpriced_rows]
    if not names:
        return ""
    listed = ", ".join(code(n) for n in names[:MAX_NAMED])
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    return f" ⚠️ No price, left out of the totals and the delta: {listed}{more}."


def _cost_row(row: EndpointCostDiff) -> list[str]:
    base = "—" if row.base is None else usd(row.hourly_base)
    head = "—" if row.head is None else usd(row.hourly_head)
    delta = signed(row.delta)
    if row.delta is not None and abs(row.delta) >= 0.0005:
        delta = f"**{delta}**"
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


def policies(review: Review) -> list[str]:
    rows = [
        [
            env_label(env),
            check.rule,
            code(check.setting),
            f"{POLICY_ICONS[check.status]}: {plain(check.detail)}",
        ]
        for env in review.envs
        for check in env.policy
    ]
    if not rows:
        return []
    header = ["environment", "rule", "setting", "result"]
    tables = [table(header, chunk) for chunk in chunks(rows, TABLE_ROWS)]
    failed = [env.env for env in review.envs if env.policy_failed]
    if failed:
        return [f"### Environment policy: ❌ failed in {', '.join(failed)}", *tables]
    unknown = sorted({env.env for env in review.envs for c in env.policy if c.status == UNKNOWN})
    cannot = sorted({env.env for env in review.envs for c in env.policy if c.status == CANNOT})
    parts = [f"not evaluated in {', '.join(unknown)} (does not validate)"] if unknown else []
    parts += [f"cannot check every rule in {', '.join(cannot)} (a price is missing)"] if cannot else []
    summary = "no policy failure; " + "; ".join(parts) if parts else "✅ every policy rule passes (or is off)"
    return ["### Environment policy", *[details(summary, t) for t in tables]]


def footnote(review: Review) -> str:
    lines = ["---", "<sub>"]
    for index, source in enumerate(review.sources, 1):
        link = f'<a href="{html(source.url)}">{html(_short(source.url))}</a>'
        lines.append(
            f"Price source {index}: {link}, as of {source.as_of}: {html('; '.join(source.priced))}.<br>"
        )
    if not review.sources:
        lines.append("No catalog price was used.<br>")
    lines.append(f"Cost assumptions: {html(review.assumptions)}</sub>")
    return "\n".join(lines)


def _short(url: str) -> str:
    """A readable label for a long source URL: host and file name."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return f"{host}/…/{tail}" if tail and tail != host else host
