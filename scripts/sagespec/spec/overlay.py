"""Environment overlays: `environments.<env>` deep-merged onto `spec`.

Mappings merge, lists and scalars replace, and `null` removes the key (in the base spec too, so
`autoscaling: null` always means "not set").
"""

from __future__ import annotations

from typing import Any


def merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        result = {k: v for k, v in base.items() if k not in overlay}
        for key, value in overlay.items():
            if value is None:
                continue
            result[key] = merge(base[key], value) if key in base else strip_nulls(value)
        return _sorted_like(base, overlay, result)
    return strip_nulls(overlay)


def _sorted_like(base: dict[str, Any], overlay: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Keep the base's key order, then the overlay's new keys: messages list fields as written."""
    order = [k for k in base if k in result] + [k for k in overlay if k in result and k not in base]
    return {k: result[k] for k in order}


def strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value
