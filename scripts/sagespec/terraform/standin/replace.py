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

RULES_FILE_ENV = "SAGESPEC_STANDIN_REPLACE_RULES"

Step = str | int  # attribute name or map key (str), list index (int)


@dataclass(frozen=True)
class TypeRules:
    sdk: str  # sdkv2 | framework
    force_new: tuple[tuple[str, ...], ...]


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
    rule: tuple[str, ...], old: Any, new: Any, at: tuple[Step, ...], sdkv2: bool
) -> Iterator[tuple[Step, ...]]:
    if not rule:
        if _differs(old, new, sdkv2):
            yield at
        return
    head, rest = rule[0], rule[1:]
    if head == "*":
        if isinstance(old, dict) or isinstance(new, dict):
            old_d = old if isinstance(old, dict) else {}
            new_d = new if isinstance(new, dict) else {}
            for key in sorted(set(old_d) | set(new_d)):
                yield from _walk(rest, old_d.get(key), new_d.get(key), (*at, key), sdkv2)
            return
        old_l = old if isinstance(old, list) else []
        new_l = new if isinstance(new, list) else []
        if new is UNKNOWN or len(old_l) != len(new_l):
            if _differs(old, new, sdkv2):
                yield at  # elements added or removed: the block itself changed
            return
        for index, (o, n) in enumerate(zip(old_l, new_l, strict=True)):
            yield from _walk(rest, o, n, (*at, index), sdkv2)
        return
    old_v = old.get(head) if isinstance(old, dict) else None
    new_v = new.get(head) if isinstance(new, dict) else (UNKNOWN if new is UNKNOWN else None)
    yield from _walk(rest, old_v, new_v, (*at, head), sdkv2)


def requires_replace(
    type_name: str, prior: dict[str, Any], planned: dict[str, Any], provider_region: str | None
) -> list[tuple[Step, ...]]:
    """The attribute paths whose change forces `type_name` to be replaced."""
    rules = load().get(type_name)
    if rules is None:
        return []
    sdkv2 = rules.sdk == "sdkv2"
    found: list[tuple[Step, ...]] = []
    for rule in rules.force_new:
        for path in _walk(rule, prior, planned, (), sdkv2):
            if path not in found:
                found.append(path)
    # aws 6.x: a changed `region` argument moves the resource (null and the provider's region are the
    # same place). internal/provider/sdkv2/region.go in hashicorp/terraform-provider-aws.
    if type_name.startswith("aws_") and "region" in prior:
        old, new = prior.get("region") or provider_region, planned.get("region") or provider_region
        if new is UNKNOWN or old != new:
            found.append(("region",))
    return found
