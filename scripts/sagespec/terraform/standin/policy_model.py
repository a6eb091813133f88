"""The IAM policy document as the aws provider (6.x) models it, and its JSON in both directions.

Read from hashicorp/terraform-provider-aws internal/service/iam/policy_model.go (the document
types): fields in struct order, empty ones left out (omitempty: no Sid, no Statement when there are
none); principal blocks of one type are concatenated, and a lone `*`/`*` principal is the string
"*"; condition blocks with the same test and variable append their values (kept in order), then a
single value is a string; maps have sorted keys (encoding/json). Documents given as JSON
(source/override) are decoded into those types and encoded again, which normalises them the same way.
"""

from __future__ import annotations

import json
from typing import Any

# IAMPolicyStatement's fields, in struct order (the order they are encoded in)
_STATEMENT_FIELDS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)

Principal = tuple[str, Any]  # (type, identifiers: str | list[str])
Condition = tuple[str, str, Any]  # (test, variable, values: str | list[str])


class PolicyDocumentError(ValueError):
    """What the real data source reports as an error diagnostic."""


# ---- encoding (MarshalJSON of the principal and condition sets) ----------------------------------


def principals_json(principals: list[Principal]) -> Any:
    if len(principals) == 1 and principals[0][0] == "*" and principals[0][1] in ("*", ["*"]):
        return "*"
    raw: dict[str, Any] = {}
    for kind, identifiers in principals:
        current = raw.get(kind)
        if isinstance(identifiers, list):
            start = [] if current is None else [current] if isinstance(current, str) else current
            raw[kind] = start + sorted(identifiers, reverse=True)
        elif current is None:
            raw[kind] = identifiers
        elif isinstance(current, str):
            raw[kind] = [current, identifiers]
        else:
            raw[kind] = [*current, identifiers]
    return dict(sorted(raw.items()))


def conditions_json(conditions: list[Condition]) -> dict[str, Any]:
    raw: dict[str, dict[str, list[str]]] = {}
    for test, variable, values in conditions:
        slot = raw.setdefault(test, {}).setdefault(variable, [])
        slot.extend(values if isinstance(values, list) else [values])
    return {
        test: {var: items[0] if len(items) == 1 else items for var, items in sorted(by_var.items())}
        for test, by_var in sorted(raw.items())
    }


class Statement:
    """IAMPolicyStatement: the fields as Go holds them, encoded in struct order."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}  # Sid, Effect, Action, ... (present = not empty)
        self.principals: dict[str, list[Principal]] = {}  # Principal / NotPrincipal
        self.conditions: list[Condition] = []

    @property
    def sid(self) -> str:
        return str(self.fields.get("Sid") or "")

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _STATEMENT_FIELDS:
            if key in ("Principal", "NotPrincipal"):
                if self.principals.get(key):
                    out[key] = principals_json(self.principals[key])
            elif key == "Condition":
                if self.conditions:
                    out[key] = conditions_json(self.conditions)
            elif key in self.fields and self.fields[key] not in (None, ""):
                out[key] = self.fields[key]
        return out


class Document:
    """IAMPolicyDoc and its Merge."""

    def __init__(self, version: str = "", policy_id: str = "") -> None:
        self.version = version
        self.id = policy_id
        self.statements: list[Statement] = []

    def merge(self, other: Document) -> None:
        if other.id:
            self.id = other.id
        if other.version > self.version:
            self.version = other.version
        for statement in other.statements:
            same = next(
                (i for i, s in enumerate(self.statements) if statement.sid and s.sid == statement.sid), None
            )
            if same is None:
                self.statements.append(statement)
            else:
                self.statements[same] = statement

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.version:
            out["Version"] = self.version
        if self.id:
            out["Id"] = self.id
        if self.statements:
            out["Statement"] = [s.encode() for s in self.statements]
        return out


# ---- decoding JSON documents (UnmarshalJSON into the Go types) ------------------------------------


def _field(obj: dict[str, Any], name: str) -> Any:
    """encoding/json matches struct fields case-insensitively; a later key overwrites an earlier one."""
    found = None
    for key, value in obj.items():
        if key.lower() == name.lower():
            found = value
    return found


def _decode_principals(data: Any) -> list[Principal]:
    if isinstance(data, str):
        return [("*", ["*"])]
    if not isinstance(data, dict):
        raise PolicyDocumentError(
            f"Unsupported data type {type(data).__name__} for IAMPolicyStatementPrincipalSet"
        )
    out: list[Principal] = []
    for kind, value in data.items():
        if isinstance(value, str):
            out.append((kind, value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.append((kind, sorted(value)))
        else:
            raise PolicyDocumentError(f"unsupported identifiers for principal type {kind!r}: must be strings")
    return out


def _decode_conditions(data: Any) -> list[Condition]:
    if data is None:
        return []
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise PolicyDocumentError("Condition must be an object of objects")
    out: list[Condition] = []
    for test, by_variable in data.items():
        for variable, values in by_variable.items():
            if isinstance(values, bool):
                out.append((test, variable, "true" if values else "false"))
            elif isinstance(values, str):
                out.append((test, variable, [values]))
            elif isinstance(values, list):
                if not all(isinstance(v, str) for v in values):
                    raise PolicyDocumentError(f"condition {test} {variable}: values must be strings")
                out.append((test, variable, list(values)))
            # numbers, null and objects match no case in UnmarshalJSON: the condition is dropped
    return out


def decode_document(text: str) -> Document:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise PolicyDocumentError("a policy document must be a JSON object")
    doc = Document(str(_field(data, "Version") or ""), str(_field(data, "Id") or ""))
    statements = _field(data, "Statement")
    if statements is not None and not isinstance(statements, list):
        raise PolicyDocumentError("Statement must be a list of statements")
    for raw in statements or []:
        if not isinstance(raw, dict):
            raise PolicyDocumentError("each statement must be a JSON object")
        statement = Statement()
        for key in _STATEMENT_FIELDS:
            value = _field(raw, key)
            if value is None:
                continue
            if key in ("Principal", "NotPrincipal"):
                statement.principals[key] = _decode_principals(value)
            elif key == "Condition":
                statement.conditions = _decode_conditions(value)
            else:
                statement.fields[key] = value  # Sid, Effect: strings; Action & co.: kept as given
        doc.statements.append(statement)
    return doc
