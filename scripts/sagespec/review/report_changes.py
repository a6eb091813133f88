"""What the report's change sections show, as text for templates/changes.md.j2 and findings.md.j2:
field-level spec diffs, resource rows, the resources of a spec grouped (the shortest level), and
the finding lines shortened to fit one comment."""

from __future__ import annotations

from ..findings import Finding
from .model import EnvReview
from .plan_changes import ExplainedChange
from .report_text import code
from .spec_diff import ADDED, CHANGED, REMOVED, FieldChange, SpecChange, show

FULL, COMPACT, MINIMAL, TERSE = 0, 1, 2, 3  # levels of detail, see report.LEVELS
TABLE_ROWS = 100  # rows per table chunk, so that parts can split between chunks
LINES_PER_BLOCK = 150  # lines of a code block per chunk
OPEN_FIELDS = 12  # a changed spec's diff up to this many lines is shown open, longer ones fold
MINIMAL_FINDING_LINES = {"error": 300, "warning": 40}
ACTION_ICONS = {"create": "➕", "update": "✏️", "replace": "🔁", "destroy": "🗑️"}
SEVERITY = {"update": 0, "create": 1, "replace": 2, "destroy": 3}
SPEC_ICONS = {ADDED: "➕ added", CHANGED: "✏️ changed", REMOVED: "➖ removed"}


def counted(counts: dict[str, int]) -> str:
    """ "2 create, 1 replace": the non-zero counts, in order."""
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n)


def field_lines(spec: SpecChange) -> list[str]:
    return [line for field in spec.fields for line in _field_lines(field)]


def _field_lines(field: FieldChange) -> list[str]:
    if field.change == ADDED:
        return [f"+ {field.path}: {show(field.after)}"]
    if field.change == REMOVED:
        return [f"- {field.path}: {show(field.before)}"]
    return [f"- {field.path}: {show(field.before)}", f"+ {field.path}: {show(field.after)}"]


def shows_fields(spec: SpecChange, level: int) -> bool:
    """A removed spec has no fields to show; an added one's file is new (left out from COMPACT on)."""
    return not (spec.status == REMOVED or not spec.fields or (spec.status == ADDED and level >= COMPACT))


def detail_lines(env: EnvReview) -> list[str]:
    """Each changed resource's address and, indented, its field-level changes."""
    return [line for c in env.shown if c.details for line in (c.address, *(f"  {d}" for d in c.details))]


def grouped_rows(env: EnvReview) -> list[list[str]]:
    """One row per spec: its resources by action; disruptive changes keep their warning sign."""
    by_key: dict[str, list[ExplainedChange]] = {}
    for change in env.shown:
        by_key.setdefault(change.key or "(environment)", []).append(change)
    rows = []
    for key, changes in by_key.items():
        worst = next((c for c in changes if c.disruptive), None) or max(
            changes, key=lambda c: SEVERITY[c.action]
        )
        what = "; ".join(
            f"{action}: {', '.join(c.resource.replace('_', ' ') for c in changes if c.action == action)}"
            for action in dict.fromkeys(c.action for c in changes)
        )
        rows.append([action(worst), code(key), what])
    return rows


def action(change: ExplainedChange) -> str:
    icon = "⚠️" if change.disruptive else ACTION_ICONS[change.action]
    return f"{icon} **{change.action}**"


def finding_lines(found: list[Finding], severity: str, level: int) -> list[str]:
    """Every line of the findings; from MINIMAL on, the first few and a count of the rest."""
    lines = [line for f in found for line in f.format().splitlines()]
    most = MINIMAL_FINDING_LINES[severity]
    if level >= MINIMAL and len(lines) > most:
        lines = [*lines[:most], f"… {len(lines) - most} more lines: run `make validate`"]
    return lines
