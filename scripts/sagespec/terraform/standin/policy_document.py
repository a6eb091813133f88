"""aws_iam_policy_document, rendered byte for byte as the aws provider (6.x) renders it.

Read from hashicorp/terraform-provider-aws internal/service/iam/policy_document_data_source.go
(dataSourcePolicyDocumentRead and helpers): sources merged in order (a Sid twice across them is an
error), then this document, then the overrides (a statement with the same Sid replaces the earlier
one in place; Id adopted when set; Version only upgraded); `effect` defaults to Allow, `version` to
2012-10-17; `&{` becomes `${` in resources, not_resources, principal identifiers and condition values
(an error with 2008-10-17); actions, resources and principal identifiers (sets) are one string when
there is one, else sorted in reverse (policyDecodeConfigStrings). `json` is
json.MarshalIndent(doc, "", "  "), `minified_json` json.Marshal(doc), and `id`
create.StringHashcode(json): the CRC-32 (IEEE) of the JSON text, in decimal
(internal/create/hashcode.go).

Principal and condition blocks are sets in the provider's schema, so they arrive in the SDK's set
order (`go_encoding.sdk_set_order`), and that order decides how repeated types and conditions
concatenate. The document types and their JSON are in `policy_model.py`.
"""

from __future__ import annotations

from typing import Any

from .go_encoding import go_json, hashcode, sdk_set_order
from .policy_model import Condition, Document, PolicyDocumentError, Principal, Statement, decode_document

DEFAULT_VERSION = "2012-10-17"

# ---- the configuration's set blocks, serialized as SerializeResourceForHash does -----------------


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
