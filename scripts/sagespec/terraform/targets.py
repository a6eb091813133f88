"""What a spec-only change can touch: the module instances to `-target` instead of a full plan.

Given the same HCL on both sides, a module instance whose rendered inputs are equal plans no change,
so planning only the instances whose inputs differ (and the instances that read them: an endpoint
reads its model's name, an inference component its model's and its pool's) gives the same answer
as a full plan. The environment-wide role and bucket are always planned (every spec feeds the role's
policy). Any other difference in the rendered file (account, region, tags, KMS key, a variable this
module does not know) means a full plan.
"""

from __future__ import annotations

from typing import Any

MODULES = {"models": "model", "endpoints": "endpoint", "inference_components": "inference_component"}
ALWAYS = ("module.execution_role", "module.artifact_bucket")
ENV_WIDE_PLANNED = ("execution_role", "artifact_bucket")  # covered by ALWAYS

Rendered = dict[str, Any]


def _changed(base: Rendered, head: Rendered, var: str) -> set[str]:
    old, new = base.get(var) or {}, head.get(var) or {}
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def _readers(rendered: Rendered, var: str, field: str, keys: set[str]) -> set[str]:
    return {k for k, v in (rendered.get(var) or {}).items() if isinstance(v, dict) and v.get(field) in keys}


def targets(base: Rendered, head: Rendered) -> list[str] | None:
    """The -target addresses for planning head against base, or None when only a full plan will do."""
    for var in set(base) | set(head):
        if var not in MODULES and var not in ENV_WIDE_PLANNED and base.get(var) != head.get(var):
            return None
    changed = {var: _changed(base, head, var) for var in MODULES}
    for side in (base, head):
        changed["endpoints"] |= _readers(side, "endpoints", "model_key", changed["models"])
        for field, var in (("model_key", "models"), ("endpoint_key", "endpoints")):
            changed["inference_components"] |= _readers(side, "inference_components", field, changed[var])
    picked = [f'module.{MODULES[var]}["{key}"]' for var in MODULES for key in sorted(changed[var])]
    return [*ALWAYS, *picked]
