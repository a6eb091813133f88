"""Markdown sections: spec changes (field-level diffs) and resource changes per environment.

`level` trades detail for size (see markdown.LEVELS): FULL shows everything, COMPACT leaves out
the field lists of added specs, MINIMAL keeps only short spec diffs and no resource details, TERSE
also groups the resource changes of each spec into one row.
"""

from __future__ import annotations

from .mdtext import chunks, code, details, fenced, html, plain, plural, table
from .model import ENV_UNCHANGED, ENV_UNKNOWN, EnvReview, Review
from .plan_changes import ResourceChange
from .spec_diff import ADDED, CHANGED, REMOVED, FieldChange, SpecChange, show

FULL, COMPACT, MINIMAL, TERSE = 0, 1, 2, 3
TABLE_ROWS = 100  # rows per table chunk, so that parts can split between chunks
LINES_PER_BLOCK = 150  # lines of a code block per chunk
OPEN_FIELDS = 12  # a changed spec's diff up to this many lines is shown open, longer ones fold
ACTION_ICONS = {"create": "➕", "update": "✏️", "replace": "🔁", "destroy": "🗑️"}
SEVERITY = {"update": 0, "create": 1, "replace": 2, "destroy": 3}
SPEC_ICONS = {ADDED: "➕ added", CHANGED: "✏️ changed", REMOVED: "➖ removed"}


def specs(review: Review, level: int) -> list[str]:
    out = ["### Spec changes"]
    if not review.specs:
        return [*out, "No spec, environment or artifact changes."]
    rows = [[SPEC_ICONS[s.status], s.kind, code(s.name), _file(s)] for s in review.specs]
    out += [table(["change", "kind", "name", "file"], chunk) for chunk in chunks(rows, TABLE_ROWS)]
    for spec in review.specs:
        out += _spec_fields(spec, level)
    return out


def _file(spec: SpecChange) -> str:
    return code(spec.file) + (f" (moved from {code(spec.base_file)})" if spec.base_file else "")


def _spec_fields(spec: SpecChange, level: int) -> list[str]:
    title = f"{code(spec.file)} · {spec.kind} {code(spec.name)}"
    if spec.note:
        return [f"**{title}**: {plain(spec.note)}"]
    if spec.status == REMOVED or not spec.fields or (spec.status == ADDED and level >= COMPACT):
        return []
    lines = [line for field in spec.fields for line in _field_lines(field)]
    if spec.status == CHANGED and len(lines) <= OPEN_FIELDS:
        return [f"**{title}**\n\n" + fenced("\n".join(lines), "diff")]
    if level >= MINIMAL:
        return [f"**{title}**: {plural(len(spec.fields), 'field')} changed (left out to fit one comment)"]
    parts = chunks(lines, LINES_PER_BLOCK)
    out = []
    for index, chunk in enumerate(parts, 1):
        part = f" ({index}/{len(parts)})" if len(parts) > 1 else ""
        summary = (
            f"<code>{html(spec.file)}</code> · {spec.kind} {spec.status}: {plural(len(spec.fields), 'field')}"
        )
        out.append(details(summary + part, fenced("\n".join(chunk), "diff")))
    return out


def _field_lines(field: FieldChange) -> list[str]:
    if field.change == ADDED:
        return [f"+ {field.path}: {show(field.after)}"]
    if field.change == REMOVED:
        return [f"- {field.path}: {show(field.before)}"]
    return [f"- {field.path}: {show(field.before)}", f"+ {field.path}: {show(field.after)}"]


def resources(review: Review, level: int) -> list[str]:
    out = ["### Resource changes"]
    for env in review.envs:
        out += _env_resources(env, level)
    quiet = [e.env for e in review.envs if e.status == ENV_UNCHANGED]
    if quiet:
        out.append(f"No resource changes in: {', '.join(quiet)}.")
    return out


def _env_resources(env: EnvReview, level: int) -> list[str]:
    if env.status == ENV_UNKNOWN:
        return [f"#### {env.env}\n\nNot known: {env.env} does not validate in the head."]
    if not env.shown:
        return []
    counts = ", ".join(f"{n} {a}" for a, n in env.counts().items() if n)
    origin = " (base: its committed rendered.tfvars.json)" if env.base_origin == "committed" else ""
    out = [f"#### {env.env}{' 🔒 protected' if env.protected else ''} · {counts}{origin}"]
    if level >= TERSE:
        return [*out, *_grouped(env)]
    rows = [[_action(c), code(c.address), plain(c.reason)] for c in env.shown]
    out += [table(["action", "resource", "what happens"], chunk) for chunk in chunks(rows, TABLE_ROWS)]
    if level >= MINIMAL:
        return out
    lines = [line for c in env.shown if c.details for line in (c.address, *(f"  {d}" for d in c.details))]
    parts = chunks(lines, LINES_PER_BLOCK)
    for index, chunk in enumerate(parts, 1):
        part = f" ({index}/{len(parts)})" if len(parts) > 1 else ""
        out.append(details(f"field-level changes in {env.env}{part}", fenced("\n".join(chunk), "text")))
    return out


def _grouped(env: EnvReview) -> list[str]:
    """One row per spec: its resources by action; disruptive changes keep their warning sign."""
    by_key: dict[str, list[ResourceChange]] = {}
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
        rows.append([_action(worst), code(key), what])
    return [table(["action", "spec", "resources"], chunk) for chunk in chunks(rows, TABLE_ROWS)]


def _action(change: ResourceChange) -> str:
    icon = "⚠️" if change.disruptive else ACTION_ICONS[change.action]
    return f"{icon} **{change.action}**"
