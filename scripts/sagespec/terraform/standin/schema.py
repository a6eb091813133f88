"""The providers' schemas (`terraform providers schema -json` shape) and their protobuf form."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tf.gen import tfplugin_pb2 as pb

# Developers may point the stand-ins at another schema folder (for example a full dump).
SCHEMA_DIR_ENV = "SAGESPEC_STANDIN_SCHEMAS"

Json = dict[str, Any]

_BLOCK_NESTING = {
    "single": pb.Schema.NestedBlock.SINGLE,
    "list": pb.Schema.NestedBlock.LIST,
    "set": pb.Schema.NestedBlock.SET,
    "map": pb.Schema.NestedBlock.MAP,
    "group": pb.Schema.NestedBlock.GROUP,
}
_OBJECT_NESTING = {
    "single": pb.Schema.Object.SINGLE,
    "list": pb.Schema.Object.LIST,
    "set": pb.Schema.Object.SET,
    "map": pb.Schema.Object.MAP,
}


@dataclass(frozen=True)
class Attribute:
    name: str
    type: Any  # cty type JSON; None when nested
    required: bool
    optional: bool
    computed: bool
    sensitive: bool
    nested: Block | None = None  # awscc nested attributes: a block-like object
    nesting: str | None = None  # single | list | set | map (nested attributes only)


@dataclass(frozen=True)
class NestedBlock:
    name: str
    nesting: str  # single | list | set | map | group
    block: Block
    min_items: int = 0
    max_items: int = 0


@dataclass(frozen=True)
class Block:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: dict[str, NestedBlock] = field(default_factory=dict)


def _attribute(name: str, raw: Json) -> Attribute:
    nested = raw.get("nested_type")
    return Attribute(
        name=name,
        type=raw.get("type"),
        required=bool(raw.get("required")),
        optional=bool(raw.get("optional")),
        computed=bool(raw.get("computed")),
        sensitive=bool(raw.get("sensitive")),
        nested=_block({"attributes": nested["attributes"]}) if nested else None,
        nesting=nested.get("nesting_mode") if nested else None,
    )


def _block(raw: Json) -> Block:
    return Block(
        attributes={n: _attribute(n, a) for n, a in sorted(raw.get("attributes", {}).items())},
        blocks={
            n: NestedBlock(
                name=n,
                nesting=b.get("nesting_mode", "list"),
                block=_block(b.get("block", {})),
                min_items=int(b.get("min_items", 0) or 0),
                max_items=int(b.get("max_items", 0) or 0),
            )
            for n, b in sorted(raw.get("block_types", {}).items())
        },
    )


@dataclass(frozen=True)
class ProviderSchema:
    name: str  # aws | awscc
    raw: Json
    provider: Block
    resources: dict[str, Block]
    data_sources: dict[str, Block]

    def resource_version(self, type_name: str) -> int:
        return int(self.raw["resource_schemas"][type_name].get("version", 0))


def schema_path(provider: str) -> Path:
    explicit = os.environ.get(SCHEMA_DIR_ENV)
    if explicit:
        return Path(explicit) / f"{provider}.json"
    return Path(str(resources.files("sagespec.terraform") / "schemas" / f"{provider}.json"))


@cache
def load(provider: str) -> ProviderSchema:
    raw = json.loads(schema_path(provider).read_text("utf-8"))
    return ProviderSchema(
        name=provider,
        raw=raw,
        provider=_block(raw["provider"]["block"]),
        resources={k: _block(v["block"]) for k, v in raw["resource_schemas"].items()},
        data_sources={k: _block(v["block"]) for k, v in raw.get("data_source_schemas", {}).items()},
    )


# ---- protobuf ------------------------------------------------------------------------------------


def _pb_attribute(name: str, raw: Json) -> pb.Schema.Attribute:
    attr = pb.Schema.Attribute(
        name=name,
        required=bool(raw.get("required")),
        optional=bool(raw.get("optional")),
        computed=bool(raw.get("computed")),
        sensitive=bool(raw.get("sensitive")),
        deprecated=bool(raw.get("deprecated")),
    )
    nested = raw.get("nested_type")
    if nested:
        attr.nested_type.CopyFrom(
            pb.Schema.Object(
                attributes=[_pb_attribute(n, a) for n, a in sorted(nested["attributes"].items())],
                nesting=_OBJECT_NESTING[nested.get("nesting_mode", "single")],
            )
        )
    else:
        attr.type = json.dumps(raw["type"], separators=(",", ":")).encode()
    return attr


def _pb_block(raw: Json) -> pb.Schema.Block:
    return pb.Schema.Block(
        attributes=[_pb_attribute(n, a) for n, a in sorted(raw.get("attributes", {}).items())],
        block_types=[
            pb.Schema.NestedBlock(
                type_name=n,
                block=_pb_block(b.get("block", {})),
                nesting=_BLOCK_NESTING[b.get("nesting_mode", "list")],
                min_items=int(b.get("min_items", 0) or 0),
                max_items=int(b.get("max_items", 0) or 0),
            )
            for n, b in sorted(raw.get("block_types", {}).items())
        ],
        deprecated=bool(raw.get("deprecated")),
    )


def to_pb(raw: Json) -> pb.Schema:
    return pb.Schema(version=int(raw.get("version", 0)), block=_pb_block(raw.get("block", {})))
