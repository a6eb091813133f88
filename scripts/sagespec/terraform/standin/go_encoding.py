"""How the Go side writes what the provider returns, so the stand-in matches it byte for byte.

Go's encoder escapes <, > and & (and U+2028/U+2029) inside strings as \\u003c etc., writes other
non-ASCII characters as UTF-8, and (since Go 1.22, https://go.dev/doc/go1.22#encoding/json) \\b and
\\f in short form, as Python's encoder does.

Blocks that are sets in a provider's schema reach the provider in the order of their set hash
(terraform-plugin-sdk helper/schema/set.go: Set.List sorts the decimal hash codes as strings; the
hash is hashcode.String, CRC-32, of SerializeResourceForHash in helper/schema/serialize.go).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_ESCAPED = re.compile("[<>&\u2028\u2029]")

T = TypeVar("T")


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
