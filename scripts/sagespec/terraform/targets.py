"""What a spec-only change can touch: plan a slice of the render instead of all of it.

Given the same HCL on both sides, a module instance whose rendered inputs are equal plans no change,
and module instances only see each other through the keys the render names (an endpoint reads its
model, an inference component its model and its pool, an adapter its base and its pool). So
planning both sides with only the instances whose inputs differ, the instances that read them, and
what those read gives, for every address, the same actions as a full plan (the rest are no-ops).
The environment-wide inputs (role, bucket, account, tags) stay whole; any difference in them other
than the role's grants and the bucket means a full plan.

Slicing the render rather than passing -target keeps Terraform's own graph whole: -target follows
`module.model[each.value.model_key]` to every instance of the module, and a targeted apply can then
leave values unknown that a full one would not.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

MODULES = {
    "models": "model",
    "endpoints": "endpoint",
    "inference_components": "inference_component",
    "inference_component_adapters": "inference_component_adapter",
}
# var -> (field naming another instance, the var it names): the only way instances see each other.
REFERENCES = {
    "endpoints": (("model_key", "models"),),
    "inference_components": (("model_key", "models"), ("endpoint_key", "endpoints")),
    "inference_component_adapters": (("base_key", "inference_components"), ("endpoint_key", "endpoints")),
}
ENV_WIDE_SLICED = ("execution_role", "artifact_bucket")  # always planned whole; may differ
# Past this many instances a slice saves little: plan everything.
MAX_INSTANCES = 64

# terraform/ sits below render/ and handles a render as what Terraform sees: a variable file, keyed
# by variable name (render.types.Rendered is its shape; this layer never depends on it).
TfVars = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    base: TfVars
    head: TfVars
    addresses: tuple[str, ...]  # the module instances planned, as Terraform addresses


def _changed(base: TfVars, head: TfVars, var: str) -> set[str]:
    old, new = base.get(var) or {}, head.get(var) or {}
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def _grow(sides: tuple[TfVars, TfVars], keep: dict[str, set[str]], readers: bool) -> None:
    """Add to `keep`, until nothing changes, every instance that reads a kept one (readers=True: the
    outputs it reads may change) or every instance a kept one reads (readers=False: it must exist)."""
    grown = True
    while grown:
        grown = False
        for side in sides:
            for var, refs in REFERENCES.items():
                for key, item in (side.get(var) or {}).items():
                    for field, named_var in refs:
                        named = item.get(field) if isinstance(item, dict) else None
                        if named is None:
                            continue
                        if readers and named in keep[named_var] and key not in keep[var]:
                            keep[var].add(key)
                            grown = True
                        if not readers and key in keep[var] and named not in keep[named_var]:
                            keep[named_var].add(named)
                            grown = True


def _cut(rendered: TfVars, keep: dict[str, set[str]]) -> TfVars:
    out = copy.copy(rendered)
    for var, keys in keep.items():
        out[var] = {k: v for k, v in (rendered.get(var) or {}).items() if k in keys}
    return out


def slice_render(base: TfVars, head: TfVars) -> Slice | None:
    """The slice of both renders to plan, or None when only a full plan will do."""
    for var in set(base) | set(head):
        if var not in MODULES and var not in ENV_WIDE_SLICED and base.get(var) != head.get(var):
            return None
    keep = {var: _changed(base, head, var) for var in MODULES}
    _grow((base, head), keep, readers=True)
    _grow((base, head), keep, readers=False)
    addresses = tuple(f'module.{MODULES[var]}["{key}"]' for var in MODULES for key in sorted(keep[var]))
    if len(addresses) > MAX_INSTANCES:
        return None
    return Slice(_cut(base, keep), _cut(head, keep), addresses)
