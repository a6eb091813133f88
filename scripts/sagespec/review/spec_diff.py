"""Which spec documents were added, changed or removed, and the field-level diff of each.

Documents are matched by (kind, metadata.name), so a renamed file is "changed" (moved), not a
removal plus an addition. Environment documents and the artifact lock's entries are compared
too: a policy or an artifact digest is as much part of a change as a spec field. Values that
look like secrets, and every value under secret_environment / token_secret, are never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .. import secretscan
from ..artifacts import lockfile
from ..rules import secrets
from ..spec.project import Project, Source
from .sides import Side

REDACTED = "<redacted>"
SECRET_KEYS = frozenset({"secret_environment", "token_secret"})  # ARNs: safe, but shown by key only
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@dataclass(frozen=True)
class FieldChange:
    path: str  # "spec.deployment.instance_type"
    change: str  # added | changed | removed
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class SpecChange:
    kind: str  # Model | Endpoint | Environment | Artifact
    name: str
    status: str  # added | changed | removed
    file: str  # the head's file (the base's for removals)
    base_file: str | None  # set when the file moved
    fields: tuple[FieldChange, ...]
    note: str | None = None


@dataclass(frozen=True)
class _Doc:
    kind: str
    name: str
    file: str
    data: Any


def diff_specs(base: Side, head: Side) -> list[SpecChange]:
    base_docs, head_docs = _documents(base), _documents(head)
    broken = _unloadable(head)
    changes: list[SpecChange] = []
    for key in sorted(set(base_docs) | set(head_docs)):
        before, after = base_docs.get(key), head_docs.get(key)
        if after is None and before is not None and before.file in broken:
            changes.append(
                SpecChange(
                    before.kind,
                    before.name,
                    CHANGED,
                    before.file,
                    None,
                    (),
                    "the head's file does not load: see the validation findings",
                )
            )
        elif after is None and before is not None:
            changes.append(
                SpecChange(
                    before.kind, before.name, REMOVED, before.file, None, tuple(_fields(before.data, None))
                )
            )
        elif before is None and after is not None:
            changes.append(
                SpecChange(after.kind, after.name, ADDED, after.file, None, tuple(_fields(None, after.data)))
            )
        elif (
            before is not None
            and after is not None
            and (before.data != after.data or before.file != after.file)
        ):
            moved = before.file if before.file != after.file else None
            changes.append(
                SpecChange(
                    after.kind,
                    after.name,
                    CHANGED,
                    after.file,
                    moved,
                    tuple(_fields(before.data, after.data)),
                )
            )
    return changes


def _documents(side: Side) -> dict[tuple[str, str], _Doc]:
    docs: dict[tuple[str, str], _Doc] = {}
    project = side.project
    if project is None:
        return docs
    for source in project.specs:
        _add(docs, source.kind or "Document", source.name or source.file, source)
    for env, source in project.environments.items():
        _add(docs, "Environment", env, source)
    for model, entry in sorted(side.lock.items()):
        docs[("Artifact", model)] = _Doc("Artifact", model, lockfile.LOCK_FILE, entry)
    return docs


def _add(docs: dict[tuple[str, str], _Doc], kind: str, name: str, source: Source) -> None:
    key = (kind, name)
    if key in docs:  # a duplicate name (a validation error): keep both apart by file
        key = (kind, f"{name} ({source.file})")
    docs[key] = _Doc(secretscan.redact(kind), secretscan.redact(name), source.file, source.data)


def _unloadable(side: Side) -> set[str]:
    project: Project | None = side.project
    if project is None:
        return set()
    return {f.file for f in project.findings if f.severity == "error"}


def _fields(before: Any, after: Any) -> list[FieldChange]:
    old = _flatten(before) if before is not None else {}
    new = _flatten(after) if after is not None else {}
    out: list[FieldChange] = []
    for path in _ordered(old, new):
        a, b = old.get(path), new.get(path)
        if a is None and b is not None:
            out.append(FieldChange(path, ADDED, None, _redact(*b)))
        elif b is None and a is not None:
            out.append(FieldChange(path, REMOVED, _redact(*a), None))
        elif a is not None and b is not None and a[0] != b[0]:  # compare raw values, show redacted ones
            out.append(FieldChange(path, CHANGED, _redact(*a), _redact(*b)))
    return out


def _ordered(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Document order: the head's keys first as written, then keys only the base had."""
    return list(dict.fromkeys([*new, *old]))


def _flatten(value: Any, prefix: str = "", secret: bool = False) -> dict[str, tuple[Any, bool]]:
    """Mappings become dotted paths -> (value, secret); lists and scalars are leaves."""
    if isinstance(value, dict) and value:
        out: dict[str, tuple[Any, bool]] = {}
        env_vars = prefix.endswith("environment") and not prefix.endswith("secret_environment")
        for key, child in value.items():
            shown = REDACTED if secrets.token_kind(str(key)) else key  # a token pasted as a key
            path = f"{prefix}.{shown}" if prefix else str(shown)
            hidden = secret or str(key) in SECRET_KEYS or (env_vars and _secret_name(str(key), child))
            out.update(_flatten(child, path, hidden))
        return out
    return {prefix: (value, secret)}


def _secret_name(key: str, value: Any) -> bool:
    # the E501 rule's test: a variable named like a secret that holds anything but an ARN
    return secrets.is_secret_variable(key, value)


def _redact(value: Any, secret: bool) -> Any:
    if secret:
        return REDACTED
    if isinstance(value, str) and secrets.token_kind(value) is not None:
        return REDACTED
    if isinstance(value, list):
        return [_redact(item, False) for item in value]
    if isinstance(value, dict):
        return {k: _redact(v, str(k) in SECRET_KEYS) for k, v in value.items()}
    return value


_MAX_VALUE = 160


def show(value: Any) -> str:
    """A spec value on one line, shortened to fit a table cell."""
    if value is None:
        return "none"
    if isinstance(value, dict) and "s3_uri" in value:
        value = value["s3_uri"]
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(", ", ": "))
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"
