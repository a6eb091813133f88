"""Which attribute changes force a new resource: the providers' own rules, as data.

The table (schemas/replace_rules.json) lists, per resource type, the attribute paths that are
ForceNew in the aws provider's Go source or create-only in the CloudFormation schema behind awscc,
with the source of each. Paths are dotted from the resource's top level, `*` standing for any
element of a list/set or any map key; a listed path forces replacement when its value changes,
a block is added or removed there, or anything under it changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .ctyvalue import UNKNOWN, is_known, zero_or_null
from .schema import Block

RULES_FILE_ENV = "SAGESPEC_STANDIN_REPLACE_RULES"

Step = str | int  # attribute name or map key (str), list index (int)


@dataclass(frozen=True)
class TypeRules:
    sdk: str  # sdkv2 | framework
    force_new: tuple[tuple[str, ...], ...]


def _is_block(block: Block, rule: tuple[str, ...]) -> bool:
    """Whether the path ends at a nested block (not at an attribute)."""
    current: Block | None = block
    names = [step for step in rule if step != "*"]
    for index, name in enumerate(names):
        if current is None:
            return False
        if name in current.blocks:
            if index == len(names) - 1:
                return True
            current = current.blocks[name].block
        elif name in current.attributes:
            current = current.attributes[name].nested
            if index == len(names) - 1:
                return False
        else:
            return False
    return False


def _count(value: Any) -> int:
    if isinstance(value, list | dict):
        return len(value)
    return 0 if value is None else 1


def rules_path() -> Path:
    explicit = os.environ.get(RULES_FILE_ENV)
    if explicit:
        return Path(explicit)
    return Path(str(resources.files("sagespec.terraform") / "schemas" / "replace_rules.json"))


@cache
def load() -> dict[str, TypeRules]:
    raw = json.loads(rules_path().read_text("utf-8"))
    table: dict[str, TypeRules] = {}
    for provider in raw["providers"].values():
        for type_name, entry in provider["resources"].items():
            table[type_name] = TypeRules(
                sdk=str(entry.get("sdk", "sdkv2")),
                force_new=tuple(tuple(p.split(".")) for p in entry.get("force_new", [])),
            )
    return table


def _normal(value: Any, sdkv2: bool) -> Any:
    """A comparable form: SDKv2 sees null and zero values as equal, at every depth."""
    if value is UNKNOWN:
        return value
    if isinstance(value, dict):
        items = {k: _normal(v, sdkv2) for k, v in value.items()}
        return {k: v for k, v in items.items() if not (sdkv2 and zero_or_null(v))} or (None if sdkv2 else {})
    if isinstance(value, list):
        return [_normal(v, sdkv2) for v in value] or (None if sdkv2 else [])
    if sdkv2 and zero_or_null(value):
        return None
    return value


def _differs(old: Any, new: Any, sdkv2: bool) -> bool:
    if not is_known(new):
        return True  # SDKv2 and the framework both replace when a ForceNew value is unknown
    return bool(_normal(old, sdkv2) != _normal(new, sdkv2))


def _walk(
    rule: tuple[str, ...], old: Any, new: Any, at: tuple[Step, ...], sdkv2: bool, block: bool
) -> Iterator[tuple[Step, ...]]:
    if not rule:
        # SDKv2 marks a ForceNew block's element count only (helper/schema/schema.go diffList/diffSet):
        # a block added or removed replaces the resource; a change inside it only if that field is listed.
        changed = (
            (new is UNKNOWN or _count(old) != _count(new)) if (block and sdkv2) else _differs(old, new, sdkv2)
        )
        if changed:
            yield at
        return
    head, rest = rule[0], rule[1:]
    if head == "*":
        if isinstance(old, dict) or isinstance(new, dict):
            old_d = old if isinstance(old, dict) else {}
            new_d = new if isinstance(new, dict) else {}
            for key in sorted(set(old_d) | set(new_d)):
                yield from _walk(rest, old_d.get(key), new_d.get(key), (*at, key), sdkv2, block)
            return
        if new is UNKNOWN:
            yield at
            return
        old_l = old if isinstance(old, list) else []
        new_l = new if isinstance(new, list) else []
        # An element added or removed is compared with nothing: its listed fields go from or to null.
        for index in range(max(len(old_l), len(new_l))):
            o = old_l[index] if index < len(old_l) else None
            n = new_l[index] if index < len(new_l) else None
            yield from _walk(rest, o, n, (*at, index), sdkv2, block)
        return
    old_v = old.get(head) if isinstance(old, dict) else None
    new_v = new.get(head) if isinstance(new, dict) else (UNKNOWN if new is UNKNOWN else None)
    yield from _walk(rest, old_v, new_v, (*at, head), sdkv2, block)


def requires_replace(
    type_name: str,
    schema: Block,
    prior: dict[str, Any],
    planned: dict[str, Any],
    provider_region: str | None,
) -> list[tuple[Step, ...]]:
    """The attribute paths whose change forces `type_name` to be replaced."""
    rules = load().get(type_name)
    if rules is None:
        return []
    sdkv2 = rules.sdk == "sdkv2"
    found: list[tuple[Step, ...]] = []
    for rule in rules.force_new:
        for path in _walk(rule, prior, planned, (), sdkv2, _is_block(schema, rule)):
            if path not in found:
                found.append(path)
    # aws 6.x: a changed `region` argument moves the resource (null and the provider's region are the
    # same place). internal/provider/sdkv2/region.go in hashicorp/terraform-provider-aws.
    if type_name.startswith("aws_") and "region" in prior:
        old, new = prior.get("region") or provider_region, planned.get("region") or provider_region
        if new is UNKNOWN or old != new:
            found.append(("region",))
    return found
