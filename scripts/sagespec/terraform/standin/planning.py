"""PlanResourceChange as the real providers answer it, for any schema.

- create: the configuration, with every computed attribute the configuration leaves null unknown;
- update: Terraform's proposed new state (configuration merged onto the prior state, computed
  attributes keeping their prior values, as SDKv2 and awscc's UseStateForUnknown do), unless a
  ForceNew path changed: then the plan is a replacement, planned from the configuration alone, so
  computed attributes become unknown again (the SDKv2 rule: a replaced resource starts empty);
- tags_all (aws): the provider's default_tags merged with the resource's tags, known at plan time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import replace
from .ctyvalue import UNKNOWN, is_known
from .schema import Attribute, Block


@dataclass
class ProviderConfig:
    region: str | None = None
    account_id: str | None = None
    default_tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    planned: Any
    requires_replace: list[tuple[replace.Step, ...]]


def _from_config_attr(attr: Attribute, value: Any) -> Any:
    if value is None:
        return UNKNOWN if attr.computed else None
    if attr.nested is None or value is UNKNOWN:
        return value
    if attr.nesting == "single":
        return from_config(attr.nested, value)
    if attr.nesting == "map" and isinstance(value, dict):
        return {k: from_config(attr.nested, v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_config(attr.nested, v) for v in value]
    return value


def from_config(block: Block, config: Any) -> Any:
    """A new object's planned value: the configuration, computed nulls unknown, at every depth."""
    if not isinstance(config, dict):
        return config
    planned: dict[str, Any] = {}
    for name, value in config.items():
        attr = block.attributes.get(name)
        nested = block.blocks.get(name)
        if attr is not None:
            planned[name] = _from_config_attr(attr, value)
        elif nested is not None and isinstance(value, list):
            planned[name] = [from_config(nested.block, v) for v in value]
        elif nested is not None and isinstance(value, dict) and nested.nesting == "map":
            planned[name] = {k: from_config(nested.block, v) for k, v in value.items()}
        elif nested is not None and isinstance(value, dict):
            planned[name] = from_config(nested.block, value)
        else:
            planned[name] = value
    return planned


def _tags_all(planned: dict[str, Any], provider: ProviderConfig) -> Any:
    tags = planned.get("tags")
    if not is_known(tags):
        return UNKNOWN
    merged = dict(provider.default_tags)
    merged.update({k: v for k, v in (tags or {}).items() if v is not None})
    return merged


def plan(
    type_name: str,
    block: Block,
    prior: Any,
    proposed: Any,
    config: Any,
    provider: ProviderConfig,
) -> Plan:
    if proposed is None:
        return Plan(None, [])  # destroy
    if prior is None:
        planned = from_config(block, config)
        paths: list[tuple[replace.Step, ...]] = []
    else:
        planned = dict(proposed)
        paths = replace.requires_replace(type_name, block, prior, planned, provider.region)
        if paths:
            planned = from_config(block, config)
    if isinstance(planned, dict):
        if "tags_all" in block.attributes:
            planned["tags_all"] = _tags_all(planned, provider)
        # aws 6.x: an unset region is the provider's, decided at plan time.
        if "region" in block.attributes and planned.get("region") is UNKNOWN and provider.region:
            planned["region"] = provider.region
    return Plan(planned, paths)
