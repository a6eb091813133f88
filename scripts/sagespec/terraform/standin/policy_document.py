"""aws_iam_policy_document, rendered byte for byte as the aws provider (6.x) renders it.

Read from hashicorp/terraform-provider-aws:
- internal/service/iam/policy_document_data_source.go (dataSourcePolicyDocumentRead and helpers):
  sources merged in order (a Sid twice across them is an error), then this document, then the
  overrides (a statement with the same Sid replaces the earlier one in place; Id adopted when set;
  Version only upgraded); `effect` defaults to Allow, `version` to 2012-10-17; `&{` becomes `${` in
  resources, not_resources, principal identifiers and condition values (an error with 2008-10-17);
  `json` is json.MarshalIndent(doc, "", "  "), `minified_json` json.Marshal(doc), and `id`
  create.StringHashcode(json): the CRC-32 (IEEE) of the JSON text, in decimal
  (internal/create/hashcode.go).
- internal/service/iam/policy_model.go (the document types): fields in struct order, empty ones
  left out (omitempty: no Sid, no Statement when there are none); actions, resources and principal
  identifiers (sets) are one string when there is one, else sorted in reverse (policyDecodeConfigStrings);
  principal blocks of one type are concatenated, and a lone `*`/`*` principal is the string "*";
  condition blocks with the same test and variable append their values (kept in order), then a
  single value is a string; maps have sorted keys (encoding/json). Documents given as JSON
  (source/override) are decoded into those types and encoded again, which normalises them the same way.

Principal and condition blocks are sets in the provider's schema: the SDK hands them over in the
order of its set hash (terraform-plugin-sdk helper/schema/set.go: Set.List sorts the decimal hash
codes as strings; the hash is hashcode.String, CRC-32, of SerializeResourceForHash in
helper/schema/serialize.go), and that order decides how repeated types and conditions concatenate.

Go's encoder escapes <, > and & (and U+2028/U+2029) inside strings as \\u003c etc., writes other
non-ASCII characters as UTF-8, and (since Go 1.22, https://go.dev/doc/go1.22#encoding/json) \\b and
\\f in short form, as Python's encoder does.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

DEFAULT_VERSION = "2012-10-17"
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_ESCAPED = re.compile("[<>&\u2028\u2029]")
_STATEMENT_FIELDS = (
    ("Sid", "Sid"),
    ("Effect", "Effect"),
    ("Action", "Action"),
    ("NotAction", "NotAction"),
    ("Resource", "Resource"),
    ("NotResource", "NotResource"),
    ("Principal", "Principal"),
    ("NotPrincipal", "NotPrincipal"),
    ("Condition", "Condition"),
)

T = TypeVar("T")
Principal = tuple[str, Any]  # (type, identifiers: str | list[str])
Condition = tuple[str, str, Any]  # (test, variable, values: str | list[str])


class PolicyDocumentError(ValueError):
    """What the real data source reports as an error diagnostic."""


def go_json(value: Any, *, indent: bool) -> str:
    """encoding/json's output: MarshalIndent(v, "", "  ") or Marshal(v)."""
    text = json.dumps(
        value, ensure_ascii=False, indent=2 if indent else None, separators=None if indent else (",", ":")
    )
    return _GO_ESCAPED.sub(lambda m: _GO_ESCAPES[m.group()], text)


def hashcode(text: str) -> int:
    """create.StringHashcode / hashcode.String: CRC-32 IEEE, as a non-negative int."""
    return zlib.crc32(text.encode("utf-8"))


def sdk_set_order(items: Iterable[T], serialize: Callable[[T], str]) -> list[T]:
    """Set.List(): one element per hash code (the first one added), ordered by the codes as strings."""
    by_code: dict[str, T] = {}
    for item in items:
        by_code.setdefault(str(hashcode(serialize(item))), item)
    return [by_code[code] for code in sorted(by_code)]


def _serialize_strings_set(values: list[str]) -> str:
    ordered = sdk_set_order(values, lambda v: f"{v};")
    return "{" + "".join(f"{v};" for v in ordered) + "};"


def _serialize_principal(block: dict[str, Any]) -> str:
    # SerializeResourceForHash: keys sorted (identifiers, type), each `key:value;`.
    identifiers = _serialize_strings_set(list(block.get("identifiers") or []))
    return f"identifiers:{identifiers}type:{block.get('type') or ''};"


def _serialize_condition(block: dict[str, Any]) -> str:
    values = "".join(f"{v or ''};" for v in block.get("values") or [])
    return f"test:{block.get('test') or ''};values:({values});variable:{block.get('variable') or ''};"


def decode_strings(values: list[str]) -> str | list[str]:
    """policyDecodeConfigStrings: the one element, or all of them sorted in reverse."""
    if len(values) == 1:
        return values[0]
    return sorted(values, reverse=True)


def _replace_vars(value: str | list[str], version: str) -> str | list[str]:
    """dataSourcePolicyDocumentReplaceVarsInList: `&{` stands for `${` (HCL would interpolate it)."""
    items = [value] if isinstance(value, str) else value
    for item in items:
        if version == "2008-10-17" and "&{" in item:
            raise PolicyDocumentError(
                f"found &{{ sequence in ({item}), which is not supported in document version 2008-10-17"
            )
    replaced = [item.replace("&{", "${") for item in items]
    return replaced[0] if isinstance(value, str) else replaced


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
        for key, _ in _STATEMENT_FIELDS:
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
        for key, _ in _STATEMENT_FIELDS:
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


# ---- the configuration (dataSourcePolicyDocumentRead) --------------------------------------------


def _config_principals(blocks: list[dict[str, Any]], version: str) -> list[Principal]:
    ordered = sdk_set_order(blocks, _serialize_principal)
    return [
        (str(b["type"]), _replace_vars(decode_strings(list(b.get("identifiers") or [])), version))
        for b in ordered
    ]


def _config_conditions(blocks: list[dict[str, Any]], version: str) -> list[Condition]:
    out: list[Condition] = []
    for block in sdk_set_order(blocks, _serialize_condition):
        values = _replace_vars([v or "" for v in block.get("values") or []], version)
        assert isinstance(values, list)
        out.append((str(block["test"]), str(block["variable"]), values[0] if len(values) == 1 else values))
    return out


def _config_statement(raw: dict[str, Any], version: str) -> Statement:
    statement = Statement()
    if raw.get("sid"):
        statement.fields["Sid"] = raw["sid"]
    statement.fields["Effect"] = raw.get("effect") or "Allow"
    for key, attr in (("Action", "actions"), ("NotAction", "not_actions")):
        if raw.get(attr):
            statement.fields[key] = decode_strings(list(raw[attr]))
    for key, attr in (("Resource", "resources"), ("NotResource", "not_resources")):
        if raw.get(attr):
            statement.fields[key] = _replace_vars(decode_strings(list(raw[attr])), version)
    for key, attr in (("Principal", "principals"), ("NotPrincipal", "not_principals")):
        if raw.get(attr):
            statement.principals[key] = _config_principals(raw[attr], version)
    if raw.get("condition"):
        statement.conditions = _config_conditions(raw["condition"], version)
    return statement


def render(config: dict[str, Any]) -> Document:
    merged = Document()
    seen: set[str] = set()
    for index, source in enumerate(config.get("source_policy_documents") or []):
        if source is None:
            continue
        doc = decode_document(source)
        for number, statement in enumerate(doc.statements):
            if statement.sid in seen:
                raise PolicyDocumentError(
                    f"merging source document {index}: duplicate Sid ({statement.sid}) in "
                    f"source_policy_documents (statement {number}). Remove the Sid or ensure Sids are unique."
                )
            if statement.sid:
                seen.add(statement.sid)
        merged.merge(doc)
    version = config.get("version") or DEFAULT_VERSION
    doc = Document(version, config.get("policy_id") or "")
    sids: set[str] = set()
    for raw in config.get("statement") or []:
        statement = _config_statement(raw, version)
        if statement.sid in sids:
            raise PolicyDocumentError(
                f"duplicate Sid ({statement.sid}). Remove the Sid or ensure the Sid is unique."
            )
        if statement.sid:
            sids.add(statement.sid)
        doc.statements.append(statement)
    merged.merge(doc)
    for override in config.get("override_policy_documents") or []:
        if override is not None:
            merged.merge(decode_document(override))
    return merged


def policy_document(config: dict[str, Any]) -> dict[str, str]:
    """The computed attributes of aws_iam_policy_document for this configuration."""
    encoded = render(config).encode()
    text = go_json(encoded, indent=True)
    return {"json": text, "minified_json": go_json(encoded, indent=False), "id": str(hashcode(text))}
