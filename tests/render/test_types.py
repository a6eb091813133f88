"""render/types.py describes terraform/variables.tf: the same attributes, the same types.

A TypedDict and the HCL type that receives it are compared structurally (Python `int`/`float`
is Terraform's `number`, `X | None` a null Terraform accepts for any attribute), so an attribute
added on one side only, or typed differently, fails here before it fails a plan.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, TypedDict

import pytest

from sagespec.render import types as rendered_types
from tests.helpers import hcl_lint, tf_types

ROOT = Path(__file__).resolve().parents[2]
_PRIMITIVES: dict[Any, str] = {str: "string", bool: "bool", int: "number", float: "number"}


def tf_type_of(annotation: Any) -> tf_types.TfType:
    """The Terraform type a value of this Python annotation must have."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        assert len(members) == 1, f"only `X | None` unions map to Terraform: {annotation}"
        return tf_type_of(members[0])
    if annotation in _PRIMITIVES:
        return tf_types.TfType(_PRIMITIVES[annotation])
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        return tf_types.TfType("list", elem=tf_type_of(args[0]))
    if origin is dict:
        assert args[0] is str, f"Terraform maps have string keys: {annotation}"
        return tf_types.TfType("map", elem=tf_type_of(args[1]))
    if typing.is_typeddict(annotation):
        hints = typing.get_type_hints(annotation)
        return tf_types.TfType("object", attrs={k: tf_types.TfAttr(tf_type_of(v)) for k, v in hints.items()})
    raise AssertionError(f"no Terraform type for {annotation!r}")


def _declared() -> dict[str, tf_types.TfType]:
    specs = hcl_lint.variable_specs(hcl_lint.load_module(ROOT / "terraform", ROOT))
    return {name: tf_types.parse_type(spec.type_expr or "any") for name, spec in specs.items()}


def _differences(rendered: type, declared: dict[str, tf_types.TfType]) -> list[str]:
    python = typing.get_type_hints(rendered)
    problems = [f"{name}: in variables.tf only" for name in sorted(declared.keys() - python.keys())]
    problems += [f"{name}: in render/types.py only" for name in sorted(python.keys() - declared.keys())]
    for name in sorted(python.keys() & declared.keys()):
        if tf_type_of(python[name]) != declared[name]:
            problems.append(
                f"{name}: render/types.py says {tf_type_of(python[name])}, variables.tf {declared[name]}"
            )
    return problems


def test_the_typed_render_matches_the_root_module_variables() -> None:
    assert _differences(rendered_types.Rendered, _declared()) == []


def test_the_keyword_attribute_async_is_described() -> None:
    endpoint = typing.get_type_hints(rendered_types.Endpoint)
    assert "async" in endpoint and typing.is_typeddict(typing.get_args(endpoint["async"])[0])


class _Drifted(TypedDict):  # the negative control: one attribute renamed, one retyped
    environment: int
    aws: rendered_types.Aws
    default_tags: dict[str, str]
    kms_key: str | None
    artifact_bucket: rendered_types.ArtifactBucket
    execution_role: rendered_types.ExecutionRole
    models: dict[str, rendered_types.Model]
    endpoints: dict[str, rendered_types.Endpoint]
    inference_components: dict[str, rendered_types.InferenceComponent]
    inference_component_adapters: dict[str, rendered_types.Adapter]


def test_a_drifted_description_is_caught() -> None:
    problems = _differences(_Drifted, _declared())
    assert problems == [
        "kms_key_arn: in variables.tf only",
        "kms_key: in render/types.py only",
        "environment: render/types.py says number, variables.tf string",
    ]


def test_a_nested_difference_is_caught() -> None:
    declared = _declared()
    assert declared["endpoints"].elem is not None
    attrs = dict(declared["endpoints"].elem.attrs)
    del attrs["rollout"]
    declared["endpoints"] = tf_types.TfType("map", elem=tf_types.TfType("object", attrs=attrs))
    assert [p.split(":")[0] for p in _differences(rendered_types.Rendered, declared)] == ["endpoints"]


@pytest.mark.parametrize("annotation", [int | str, set[str], dict[int, str]])
def test_types_terraform_cannot_hold_are_refused(annotation: Any) -> None:
    with pytest.raises(AssertionError):
        tf_type_of(annotation)
