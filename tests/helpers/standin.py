"""Calling a stand-in provider the way Terraform does: tfplugin6 messages with msgpack values.

Terraform sends objects shaped by the schema: every attribute present (null when unset), blocks
as lists (sets, too), single blocks as objects or null. `obj` builds such an object.
"""

from __future__ import annotations

from typing import Any

from tf.gen import tfplugin_pb2 as pb

from sagespec.terraform.standin.ctyvalue import decode, encode
from sagespec.terraform.standin.provider import StandinProvider
from sagespec.terraform.standin.schema import Block, load

Path = tuple[str | int, ...]


def dv(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode(value))


def obj(block: Block, **values: Any) -> dict[str, Any]:
    """A full object of `block`: the given values, null attributes, empty blocks."""
    unknown = set(values) - set(block.attributes) - set(block.blocks)
    assert not unknown, f"not in the schema: {sorted(unknown)}"
    out: dict[str, Any] = dict.fromkeys(block.attributes)
    for name, nested in block.blocks.items():
        out[name] = None if nesting_is_single(nested.nesting) else ({} if nested.nesting == "map" else [])
    out.update(values)
    return out


def nesting_is_single(nesting: str) -> bool:
    return nesting in ("single", "group")


def provider(name: str, **config: Any) -> StandinProvider:
    """A configured stand-in (region, allowed_account_ids, default_tags as in the provider block)."""
    served = StandinProvider(load(name))
    answer = served.ConfigureProvider(pb.ConfigureProvider.Request(config=dv(config)), None)
    assert not answer.diagnostics, answer.diagnostics
    return served


def resource(name: str, type_name: str) -> Block:
    return load(name).resources[type_name]


def data_source(name: str, type_name: str) -> Block:
    return load(name).data_sources[type_name]


def steps(path: pb.AttributePath) -> Path:
    return tuple(
        s.attribute_name if s.WhichOneof("selector") == "attribute_name" else _key(s) for s in path.steps
    )


def _key(step: Any) -> str | int:
    which = step.WhichOneof("selector")
    return int(step.element_key_int) if which == "element_key_int" else str(step.element_key_string)


def plan(
    served: StandinProvider, type_name: str, prior: Any, proposed: Any, config: Any
) -> tuple[Any, list[Path]]:
    """(planned state, requires_replace paths) from PlanResourceChange."""
    answer = served.PlanResourceChange(
        pb.PlanResourceChange.Request(
            type_name=type_name, prior_state=dv(prior), proposed_new_state=dv(proposed), config=dv(config)
        ),
        None,
    )
    assert not answer.diagnostics, answer.diagnostics
    return decode(answer.planned_state.msgpack), [steps(p) for p in answer.requires_replace]


def apply(served: StandinProvider, type_name: str, prior: Any, planned: Any, config: Any) -> Any:
    answer = served.ApplyResourceChange(
        pb.ApplyResourceChange.Request(
            type_name=type_name, prior_state=dv(prior), planned_state=dv(planned), config=dv(config)
        ),
        None,
    )
    assert not answer.diagnostics, answer.diagnostics
    return decode(answer.new_state.msgpack)


def read_data(served: StandinProvider, type_name: str, config: Any) -> Any:
    answer = served.ReadDataSource(pb.ReadDataSource.Request(type_name=type_name, config=dv(config)), None)
    assert not answer.diagnostics, answer.diagnostics
    return decode(answer.state.msgpack)


def proposed_new(block: Block, prior: Any, config: Any) -> Any:
    """Terraform's proposed new state (internal/plans/objchange/objchange.go, ProposedNew in
    hashicorp/terraform): configured values win; a computed attribute left null in the configuration
    keeps its prior value; list blocks are matched by index."""
    if not isinstance(config, dict):
        return config
    prior = prior if isinstance(prior, dict) else {}
    out: dict[str, Any] = {}
    for name, attr in block.attributes.items():
        value = config.get(name)
        out[name] = prior.get(name) if value is None and attr.computed else value
    for name, nested in block.blocks.items():
        value = config.get(name)
        if isinstance(value, list):
            before = prior.get(name) if isinstance(prior.get(name), list) else []
            out[name] = [
                proposed_new(nested.block, before[i] if i < len(before) else None, v)
                for i, v in enumerate(value)
            ]
        else:
            out[name] = value
    return out


def create(served: StandinProvider, type_name: str, config: dict[str, Any]) -> Any:
    """Plan and apply a new resource: the prior state of an update."""
    planned, paths = plan(served, type_name, None, config, config)
    assert paths == []
    return apply(served, type_name, None, planned, config)


def update(
    served: StandinProvider, provider: str, type_name: str, prior: Any, config: dict[str, Any]
) -> tuple[Any, list[Path]]:
    block = resource(provider, type_name)
    return plan(served, type_name, prior, proposed_new(block, prior, config), config)
