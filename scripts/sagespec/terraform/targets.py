"""What a spec-only change can touch: plan a slice of the render instead of all of it.

Given the same HCL on both sides, a module instance whose rendered inputs are equal plans no change,
and module instances only see each other through the keys the render names (an endpoint reads its
model, an inference component its model and its pool). So planning both sides with only the
instances whose inputs differ, the instances that read them, and what those read gives, for every
address, the same actions as a full plan (the rest would be no-ops). The environment-wide inputs
(role, bucket, account, tags) stay whole; any difference in them other than the role's grants and the
bucket means a full plan.

Slicing the render rather than passing -target keeps Terraform's own graph whole: -target follows
`module.model[each.value.model_key]` to every instance of the module, and a targeted apply can then
leave values unknown that a full one would not.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

MODULES = {"models": "model", "endpoints": "endpoint", "inference_components": "inference_component"}
ENV_WIDE_SLICED = ("execution_role", "artifact_bucket")  # always planned whole; may differ
# Past this many instances a slice saves little: plan everything.
MAX_INSTANCES = 64

Rendered = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    base: Rendered
    head: Rendered
    addresses: tuple[str, ...]  # the module instances planned, as Terraform addresses


def _changed(base: Rendered, head: Rendered, var: str) -> set[str]:
    old, new = base.get(var) or {}, head.get(var) or {}
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def _readers(rendered: Rendered, var: str, field: str, keys: set[str]) -> set[str]:
    return {k for k, v in (rendered.get(var) or {}).items() if isinstance(v, dict) and v.get(field) in keys}


def _read_by(rendered: Rendered, var: str, keys: set[str], field: str) -> set[str]:
    items = rendered.get(var) or {}
    return {v[field] for k, v in items.items() if k in keys and isinstance(v, dict) and v.get(field)}


def _cut(rendered: Rendered, keep: dict[str, set[str]]) -> Rendered:
    out = copy.copy(rendered)
    for var, keys in keep.items():
        out[var] = {k: v for k, v in (rendered.get(var) or {}).items() if k in keys}
    return out


def slice_render(base: Rendered, head: Rendered) -> Slice | None:
    """The slice of both renders to plan, or None when only a full plan will do."""
    for var in set(base) | set(head):
        if var not in MODULES and var not in ENV_WIDE_SLICED and base.get(var) != head.get(var):
            return None
    keep = {var: _changed(base, head, var) for var in MODULES}
    for side in (base, head):  # what reads a changed instance
        keep["endpoints"] |= _readers(side, "endpoints", "model_key", keep["models"])
        for field, var in (("model_key", "models"), ("endpoint_key", "endpoints")):
            keep["inference_components"] |= _readers(side, "inference_components", field, keep[var])
    for side in (base, head):  # what the kept instances read
        keep["endpoints"] |= _read_by(
            side, "inference_components", keep["inference_components"], "endpoint_key"
        )
        for var in ("inference_components", "endpoints"):
            keep["models"] |= _read_by(side, var, keep[var], "model_key")
    addresses = tuple(f'module.{MODULES[var]}["{key}"]' for var in MODULES for key in sorted(keep[var]))
    if len(addresses) > MAX_INSTANCES:
        return None
    return Slice(_cut(base, keep), _cut(head, keep), addresses)
