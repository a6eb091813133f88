"""`smoke_test.expect`: does a response say what it should?

Shapes: `{contains: "text"}` (substring of the body), or `{json_path: "$[0].generated_text"}`
with optional `equals: <any JSON>` or `contains: "text"` (substring of the selected value, or an
element of a selected list). A JSON path alone only requires the path to exist. The path syntax
is the common subset: `$`, `.key`, `['key']` / `["key"]`, `[index]` (negative from the end).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import SagespecError

_STEP = re.compile(r"""\.([A-Za-z_][\w-]*)|\[(-?\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]""")
_MISSING = object()


def parse_path(path: str) -> list[str | int]:
    if not path.startswith("$"):
        raise SagespecError(f"json_path {path!r} must start with $", 'for example "$[0].generated_text"')
    steps: list[str | int] = []
    pos = 1
    while pos < len(path):
        match = _STEP.match(path, pos)
        if match is None:
            raise SagespecError(
                f"json_path {path!r}: cannot read {path[pos:]!r}", "supported: $, .key, ['key'], [index]"
            )
        key, index, single, double = match.groups()
        steps.append(int(index) if index is not None else (key or single or double or ""))
        pos = match.end()
    return steps


def select(document: Any, steps: list[str | int]) -> Any:
    value = document
    for step in steps:
        in_list = isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value)
        in_dict = isinstance(step, str) and isinstance(value, dict) and step in value
        if not (in_list or in_dict):
            return _MISSING
        value = value[step]
    return value


def check(expect: dict[str, Any] | None, body: str) -> str | None:
    """None when the body meets `expect`, else why not (one line)."""
    if not expect:
        return None
    if "json_path" not in expect:
        needle = str(expect.get("contains", ""))
        return None if needle in body else f"response does not contain {needle!r}"
    path = str(expect["json_path"])
    steps = parse_path(path)
    try:
        document = json.loads(body)
    except ValueError:
        return f"response is not JSON, so {path} cannot be read"
    value = select(document, steps)
    if value is _MISSING:
        return f"{path} is not in the response"
    if "equals" in expect and value != expect["equals"]:
        return f"{path} is {json.dumps(value)[:200]}, expected {json.dumps(expect['equals'])}"
    if "contains" in expect:
        needle = expect["contains"]
        found = needle in value if isinstance(value, list) else str(needle) in _text(value)
        if not found:
            return f"{path} ({json.dumps(value)[:200]}) does not contain {json.dumps(needle)}"
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
