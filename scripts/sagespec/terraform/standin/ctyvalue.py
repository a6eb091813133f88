"""cty values as Terraform sends them over the plugin protocol: msgpack with unknowns as extensions.

Terraform encodes a value against the schema's type: objects as maps with every attribute present,
lists and sets as arrays, null as nil, an unknown value as msgpack extension 0 (and, since
Terraform 1.6, a refined unknown as extension 12). DynamicPseudoType values travel as
`[type JSON, value]` pairs; the schemas the stand-ins serve have none in the types sagespec uses.
https://github.com/hashicorp/terraform/blob/main/docs/plugin-protocol/object-wire-format.md
"""

from __future__ import annotations

from typing import Any

import msgpack

UNKNOWN_EXT = 0
REFINED_UNKNOWN_EXT = 12


class _Unknown:
    """The one unknown value (refinements are dropped: the stand-ins never read them)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def _ext_hook(code: int, data: bytes) -> Any:
    if code in (UNKNOWN_EXT, REFINED_UNKNOWN_EXT):
        return UNKNOWN
    return msgpack.ExtType(code, data)


def _default(value: Any) -> Any:
    if value is UNKNOWN:
        return msgpack.ExtType(UNKNOWN_EXT, b"")
    raise TypeError(f"cannot encode {type(value).__name__} as a cty value")


def decode(raw: bytes) -> Any:
    """A msgpack DynamicValue as Python: dict, list, str, int/float, bool, None or UNKNOWN."""
    if not raw:
        return None
    return msgpack.unpackb(raw, ext_hook=_ext_hook, raw=False, strict_map_key=False)


def encode(value: Any) -> bytes:
    return msgpack.packb(value, default=_default, use_bin_type=True)  # type: ignore[no-any-return]


def is_known(value: Any) -> bool:
    """True when no part of the value is unknown."""
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def zero_or_null(value: Any) -> bool:
    """SDKv2 treats null and the zero value alike when diffing: '' / 0 / false / empty collection."""
    return value is None or value == "" or value == 0 or value is False or value == [] or value == {}


def type_zero(cty_type: Any) -> Any:
    """The zero value of a cty type (JSON form: "string", ["list", T], ["object", {...}] ...)."""
    if cty_type == "string":
        return ""
    if cty_type == "number":
        return 0
    if cty_type == "bool":
        return False
    if isinstance(cty_type, list):
        kind = cty_type[0]
        if kind in ("list", "set", "tuple"):
            return []
        if kind == "map":
            return {}
        if kind == "object":
            return {name: None for name in cty_type[1]}
    return None
