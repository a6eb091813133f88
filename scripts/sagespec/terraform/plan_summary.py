"""What a Terraform plan will do, per resource, from `terraform show -json` output.

`summarize(plan_json)` turns `resource_changes` into a PlanSummary; `format_table(summary)` renders
it as a Markdown table (PR comments, the review report) or as plain text (the terminal).
Only the plan JSON format (format_version 0.x/1.x) is read: no Terraform needed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Action = Literal["create", "update", "replace", "destroy", "move", "forget", "read", "no-op", "other"]
Style = Literal["markdown", "text"]

# Actions that change infrastructure, in the order the table lists them (most dangerous last).
CHANGING: tuple[Action, ...] = ("create", "update", "move", "replace", "forget", "destroy", "other")

_SIMPLE: dict[tuple[str, ...], Action] = {
    ("create",): "create",
    ("update",): "update",
    ("delete",): "destroy",
    ("read",): "read",
    ("no-op",): "no-op",
    ("forget",): "forget",  # Terraform 1.7+ `removed` blocks: leaves state, keeps the object
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
}


@dataclass(frozen=True)
class ResourceChange:
    address: str
    type: str
    action: Action
    actions: tuple[str, ...]  # Terraform's own list, e.g. ("create", "delete")
    detail: tuple[str, ...] = ()  # attribute paths that force replacement, or that an update changes
    create_before_destroy: bool = False
    previous_address: str | None = None
    action_reason: str | None = (
        None  # Terraform 1.2+: replace_because_tainted, delete_because_no_resource_config, ...
    )

    @property
    def label(self) -> str:
        if self.action == "replace":
            return "replace (create first)" if self.create_before_destroy else "replace (destroy first)"
        return self.action


@dataclass(frozen=True)
class PlanSummary:
    changes: tuple[ResourceChange, ...]
    counts: Mapping[Action, int] = field(default_factory=dict)
    errored: bool = False  # a plan JSON from a failed plan (Terraform 1.4+ writes `errored`)

    @property
    def has_changes(self) -> bool:
        return any(self.counts.get(action, 0) for action in CHANGING)

    @property
    def replacements(self) -> tuple[ResourceChange, ...]:
        return tuple(c for c in self.changes if c.action == "replace")

    def count(self, action: Action) -> int:
        return self.counts.get(action, 0)

    def totals_line(self) -> str:
        main = ", ".join(f"{self.count(a)} to {a}" for a in ("create", "update", "replace", "destroy"))
        extra = [f"{self.count(a)} to {a}" for a in ("move", "forget", "other") if self.count(a)]
        quiet = [f"{self.count('no-op')} unchanged"] if self.count("no-op") else []
        quiet += [f"{self.count('read')} data source(s) read at apply"] if self.count("read") else []
        tail = f" ({', '.join(quiet)})" if quiet else ""
        return f"Plan: {', '.join([main, *extra])}.{tail}"


def summarize(plan_json: Mapping[str, Any]) -> PlanSummary:
    """Summarize `terraform show -json <plan>` output. Unknown action lists are kept as "other"."""
    changes = [_change(rc) for rc in plan_json.get("resource_changes") or ()]
    counts = Counter(c.action for c in changes)
    order = {a: i for i, a in enumerate(CHANGING)}
    listed = sorted((c for c in changes if c.action in order), key=lambda c: (order[c.action], c.address))
    return PlanSummary(changes=tuple(listed), counts=dict(counts), errored=bool(plan_json.get("errored")))


def action_of(actions: tuple[str, ...]) -> Action:
    """Terraform's action list, as one word: ("delete", "create") -> "replace"."""
    return _SIMPLE.get(actions, "other")


def _change(rc: Mapping[str, Any]) -> ResourceChange:
    change = rc.get("change") or {}
    actions = tuple(str(a) for a in change.get("actions") or ())
    action = action_of(actions)
    previous = rc.get("previous_address")
    if action == "no-op" and previous and previous != rc.get("address"):
        action = "move"  # Terraform 1.1+ `moved` blocks: same object, new address
    address = str(rc.get("address", "?")) + (f" (deposed {rc['deposed']})" if rc.get("deposed") else "")
    if action == "replace":
        detail = tuple(_path(p) for p in change.get("replace_paths") or ()) or _changed_keys(change)
    elif action == "update":
        detail = _changed_keys(change)
    else:
        detail = ()
    return ResourceChange(
        address=address,
        type=str(rc.get("type", "")),
        action=action,
        actions=actions,
        detail=detail,
        create_before_destroy=actions == ("create", "delete"),
        previous_address=str(previous) if previous else None,
        action_reason=rc.get("action_reason"),
    )


def _path(steps: Sequence[Any]) -> str:
    """["production_variants", 0, "instance_type"] -> production_variants[0].instance_type"""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _changed_keys(change: Mapping[str, Any]) -> tuple[str, ...]:
    """Top-level attributes an update changes: different before/after, or unknown until apply."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ()
    keys = set(before) | set(after)
    changed = {
        k
        for k in keys
        if before.get(k) != after.get(k) or _truthy(unknown.get(k) if isinstance(unknown, dict) else None)
    }
    return tuple(sorted(changed))


def _truthy(value: Any) -> bool:
    """after_unknown marks unknown leaves with true, nested in the attribute's own shape."""
    if isinstance(value, dict):
        return any(_truthy(v) for v in value.values())
    if isinstance(value, list):
        return any(_truthy(v) for v in value)
    return value is True


def format_table(summary: PlanSummary, style: Style = "markdown", *, limit_detail: int = 4) -> str:
    """The changing resources as a table, then the totals line. Unchanged resources are only counted."""
    rows = [(c.label, c.address, _detail(c, limit_detail)) for c in summary.changes]
    lines = _markdown(rows) if style == "markdown" else _text(rows)
    if not rows:
        lines = ["No changes: the infrastructure matches the configuration."]
    if summary.errored:
        lines.insert(0, "WARNING: this plan errored; it is incomplete.")
    return "\n".join([*lines, "", summary.totals_line()]) + "\n"


def _detail(change: ResourceChange, limit: int) -> str:
    parts = list(change.detail[:limit]) + (
        [f"+{len(change.detail) - limit} more"] if len(change.detail) > limit else []
    )
    text = ", ".join(parts)
    if change.action == "replace" and change.detail:
        text = f"forces replacement: {text}"
    if change.action == "move" and change.previous_address:
        text = f"moved from {change.previous_address}"
    if change.action_reason and change.action_reason not in ("replace_because_cannot_update",):
        text = f"{text} ({change.action_reason})" if text else change.action_reason
    return text


def _markdown(rows: list[tuple[str, str, str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = ["| action | resource | detail |", "|---|---|---|"]
    out += [f"| {cell(a)} | `{cell(r)}` | {cell(d)} |" for a, r, d in rows]
    return out


def _text(rows: list[tuple[str, str, str]]) -> list[str]:
    header = ("ACTION", "RESOURCE", "DETAIL")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]
    return [f"{a:<{widths[0]}}  {r:<{widths[1]}}  {d}".rstrip() for a, r, d in [header, *rows]]


def load(path: Path) -> PlanSummary:
    """Summarize a plan JSON file, e.g. .sagespec/plans/<env>/plan.json."""
    return summarize(json.loads(path.read_text(encoding="utf-8")))
