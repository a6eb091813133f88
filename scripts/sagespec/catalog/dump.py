"""JSON for the shipped catalogs: compact rows, one entry per line, so files stay small and diffs readable."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any, depth: int) -> str:
    """Objects nested less than `depth` deep get one key per line; deeper values stay on one line.

    Key order is kept as given (callers build sorted dicts), so the output is deterministic.
    """
    return _dump(value, depth, 0) + "\n"


def _dump(value: Any, depth: int, level: int) -> str:
    if not isinstance(value, dict) or level >= depth or not value:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    pad = "  " * (level + 1)
    items = [f"{pad}{json.dumps(str(k))}: {_dump(v, depth, level + 1)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
