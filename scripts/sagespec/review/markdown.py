"""The review as Markdown for a pull-request comment: verdict and warnings first, details folded.

GitHub refuses comments over 65,536 characters. The report is rendered at decreasing levels of
detail until it fits one comment (the JSON output always has everything); if even the shortest
does not fit, it is split into numbered parts (see split). Part 1 starts with the hidden marker
the PR workflow finds its comment by.
"""

from __future__ import annotations

from . import md_changes, md_cost
from .costing import headline
from .md_changes import COMPACT, FULL, MINIMAL, TERSE
from .mdtext import chunks, code, details, fenced, plain, plural, signed, table, usd
from .model import CAUTION, ENV_ADDED, ENV_REMOVED, ENV_UNKNOWN, WARNING, Alert, Review
from .plan_changes import ACTIONS
from .split import BUDGET, pack

MARKER = "<!-- sagespec-review -->"
MAX_ALERTS = 25  # per alert box; the rest are in the resource tables
LINES_PER_BLOCK = 150
MINIMAL_FINDING_LINES = {"error": 300, "warning": 40}
LEVELS = {
    FULL: "",
    COMPACT: "the field lists of added specs (the files are new: read them in the pull request)",
    MINIMAL: "field lists of added and long spec diffs, resource field details and most warnings",
    TERSE: "field lists, resource details (changes are grouped per spec) and most warnings",
}


def render(review: Review) -> list[str]:
    """The report as one or more parts, each within GitHub's comment limit."""
    for level in LEVELS:
        blocks = _blocks(review, level)
        if sum(len(b) + 2 for b in blocks) + len(MARKER) <= BUDGET:
            break
    return pack(MARKER, blocks)


def _blocks(review: Review, level: int) -> list[str]:
    shortened = (
        [
            f"> [!NOTE]\n> Shortened to fit one comment: left out {LEVELS[level]}. `make review` or "
            "`sagespec review --format json` shows everything."
        ]
        if level
        else []
    )
    return [
        _title(review),
        *shortened,
        *_alerts(review),
        *review.live,
        *_summary(review),
        *_findings(review, "error", level),
        *md_changes.specs(review, level),
        *md_changes.resources(review, level),
        *md_cost.costs(review),
        *md_cost.policies(review),
        *_findings(review, "warning", level),
        *_notes(review),
        md_cost.footnote(review),
    ]


def _title(review: Review) -> str:
    return f"## sagespec review: {code(review.base_label)} → {review.head}\n\n{verdict(review)}"


def verdict(review: Review) -> str:
    """One line: valid or not, with the counts that matter."""
    if review.ok:
        head = f"✅ **Specs valid** ({plural(review.warnings, 'warning')})"
    else:
        head = f"❌ **Specs invalid: {plural(review.errors, 'error')}**, {plural(review.warnings, 'warning')}"
    spec_text = ", ".join(f"{n} {s}" for s, n in review.spec_counts().items() if n) or "none"
    resources = ", ".join(f"{n} {a}" for a, n in review.counts().items() if n) or "no changes"
    return f"{head} · specs: {spec_text} · resources: {resources} · cost: {_money(review)}"


def _money(review: Review) -> str:
    """Totals and delta over priced endpoints only; what could not be priced is counted and named."""
    line = headline([env.cost for env in review.envs])
    money = f"{usd(line.base_monthly, cents=True)} → {usd(line.head_monthly, cents=True)}/month"
    money += f" ({signed(line.delta_monthly, cents=True)}"
    money += " over the endpoints priced on both sides)" if line.unpriced else ")"
    if line.unpriced:
        named = ", ".join(code(n) for n in line.unpriced[: md_cost.MAX_NAMED])
        extra = len(line.unpriced) - md_cost.MAX_NAMED
        more = f" and {extra} more" if extra > 0 else ""
        money += f"; ⚠️ {plural(len(line.unpriced), 'endpoint')} without a price, not counted: {named}{more}"
    if line.unknown_envs:
        money += f"; not known in {', '.join(line.unknown_envs)} (does not validate)"
    return money


def _alerts(review: Review) -> list[str]:
    alerts = review.alerts()
    out = []
    caution = [a for a in alerts if a.level == CAUTION]
    warning = [a for a in alerts if a.level == WARNING]
    if caution:
        out.append(_alert_box("CAUTION", "Traffic stops or endpoints go down", caution))
    if warning:
        out.append(
            _alert_box(
                "WARNING",
                "Replacements and deletions in protected environments (no downtime "
                "expected: new objects are created before old ones are deleted)",
                warning,
            )
        )
    if not review.ok:
        out.append(
            f"> [!CAUTION]\n> **The specs do not validate** ({plural(review.errors, 'error')}): see "
            "[Validation errors](#validation-errors). Environments that do not validate show no resource "
            "changes or cost."
        )
    return out


def _alert_box(kind: str, title: str, alerts: list[Alert]) -> str:
    lines = [f"> [!{kind}]", f"> **{title}**"]
    for alert in alerts[:MAX_ALERTS]:
        lines.append(
            f"> - **{alert.env}** · {code(alert.address)} · **{alert.action}**: {plain(alert.message)}"
        )
    if len(alerts) > MAX_ALERTS:
        lines.append(f"> - … and {len(alerts) - MAX_ALERTS} more: see [Resource changes](#resource-changes)")
    return "\n".join(lines)


def _summary(review: Review) -> list[str]:
    rows = []
    for env in review.envs:
        counts = env.counts()
        status = {ENV_UNKNOWN: "❌ invalid", ENV_REMOVED: "➖ removed", ENV_ADDED: "➕ added"}.get(
            env.status, env.status
        )
        delta = env.cost.delta_monthly
        text = signed(delta, cents=True)
        rows.append(
            [
                md_cost.env_label(env),
                status,
                *[str(counts[a]) for a in ACTIONS],
                md_cost.monthly(env.cost),
                f"**{text}**" if delta is not None and abs(delta) >= 0.005 else text,
            ]
        )
    header = ["environment", "status", *ACTIONS, "$/month base → head", "Δ $/month"]
    return [table(header, chunk, "llrrrrrr") for chunk in chunks(rows, 100)] or ["No environments."]


def _findings(review: Review, severity: str, level: int) -> list[str]:
    found = [f for f in review.findings if f.severity == severity]
    if severity == "error" and not found:
        return []
    if not found:
        return (
            []
            if review.errors
            else ["### Validation findings\n\nNone: every spec and environment validates cleanly."]
        )
    title = "### Validation errors" if severity == "error" else "### Validation warnings"
    out = [f"{title}\n\n{plural(len(found), severity)} in the head (`make validate` shows the same)."]
    lines = [line for f in found for line in f.format().splitlines()]
    if level >= MINIMAL and len(lines) > MINIMAL_FINDING_LINES[severity]:
        extra = len(lines) - MINIMAL_FINDING_LINES[severity]
        lines = [*lines[: MINIMAL_FINDING_LINES[severity]], f"… {extra} more lines: run `make validate`"]
    parts = chunks(lines, LINES_PER_BLOCK)
    for index, chunk in enumerate(parts, 1):
        body = fenced("\n".join(chunk), "text")
        part = f" ({index}/{len(parts)})" if len(parts) > 1 else ""
        out.append(body if severity == "error" else details(f"{plural(len(found), severity)}{part}", body))
    return out


def _notes(review: Review) -> list[str]:
    notes = [*review.notes, *(n for env in review.envs for n in env.notes)]
    if not notes:
        return []
    return ["### Notes", *["\n".join(f"- {plain(n)}" for n in chunk) for chunk in chunks(notes, 100)]]
