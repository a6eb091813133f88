"""PlanResourceChange of the awscc stand-in: CloudFormation createOnlyProperties come back as
`requires_replace`, with the plugin framework's semantics (null and "" differ)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform.standin import replace
from sagespec.terraform.standin.ctyvalue import UNKNOWN
from sagespec.terraform.standin.schema import Block
from tests.helpers import standin
from tests.helpers.standin import create, obj, resource, update


@pytest.fixture
def awscc() -> standin.StandinProvider:
    return standin.provider("awscc", region="us-east-1")


def _component(endpoint: str, copies: int, variant: str | None = None) -> dict[str, Any]:
    block = resource("awscc", "awscc_sagemaker_inference_component")
    runtime = obj(block.attributes["runtime_config"].nested or Block(), copy_count=copies)
    return obj(
        block,
        inference_component_name="ic",
        endpoint_name=endpoint,
        variant_name=variant,
        runtime_config=runtime,
    )


def test_the_real_inference_component_has_no_create_only_properties(awscc: standin.StandinProvider) -> None:
    """AWS::SageMaker::InferenceComponent declares no createOnlyProperties (cfn-lint's schema data):
    even a new endpoint name is an in-place Cloud Control update."""
    prior = create(awscc, "awscc_sagemaker_inference_component", _component("pool", 1))
    planned, paths = update(
        awscc, "awscc", "awscc_sagemaker_inference_component", prior, _component("pool-2", 3)
    )
    assert paths == []
    assert planned["inference_component_arn"] == prior["inference_component_arn"]
    assert planned["runtime_config"]["copy_count"] == 3


RulesTable = Callable[[str], None]


@pytest.fixture
def rules_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RulesTable]:
    """Serve a rules table in which the component has createOnly properties, the way
    replace_rules.json records them for an awscc type whose CloudFormation schema lists some."""

    def use(sdk: str) -> None:
        entry = {"sdk": sdk, "force_new": ["endpoint_name", "variant_name"]}
        rules = {"providers": {"awscc": {"resources": {"awscc_sagemaker_inference_component": entry}}}}
        path = tmp_path / f"replace_rules-{sdk}.json"
        path.write_text(json.dumps(rules))
        monkeypatch.setenv(replace.RULES_FILE_ENV, str(path))
        replace.load.cache_clear()

    yield use
    monkeypatch.delenv(replace.RULES_FILE_ENV, raising=False)
    replace.load.cache_clear()


def test_an_awscc_create_only_property_requires_replacement(
    awscc: standin.StandinProvider, rules_table: RulesTable
) -> None:
    rules_table("framework")
    prior = create(awscc, "awscc_sagemaker_inference_component", _component("pool", 1))
    planned, paths = update(
        awscc, "awscc", "awscc_sagemaker_inference_component", prior, _component("pool-2", 1)
    )
    assert paths == [("endpoint_name",)]
    assert planned["inference_component_arn"] is UNKNOWN
    _, paths = update(awscc, "awscc", "awscc_sagemaker_inference_component", prior, _component("pool", 4))
    assert paths == []  # copy_count is not create-only


@pytest.mark.parametrize(("sdk", "replaced"), [("framework", True), ("sdkv2", False)])
def test_null_and_empty_differ_for_the_framework_only(
    rules_table: RulesTable, sdk: str, replaced: bool
) -> None:
    """The framework's RequiresReplace compares values as they are; SDKv2 sees null and "" as one.
    (awscc attributes are all optional+computed, so a real plan rarely has a null prior: this is
    the rule itself.)"""
    rules_table(sdk)
    block = resource("awscc", "awscc_sagemaker_inference_component")
    prior, planned = _component("pool", 1, None), _component("pool", 1, "")
    paths = replace.requires_replace(
        "awscc_sagemaker_inference_component", block, prior, planned, "us-east-1"
    )
    assert paths == ([("variant_name",)] if replaced else [])
