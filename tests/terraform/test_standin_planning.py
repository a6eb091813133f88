"""PlanResourceChange of the stand-ins, called as Terraform calls it (tfplugin6 messages, msgpack).

Create: computed-only attributes (and optional+computed ones the configuration leaves null) are
unknown. Update: Terraform's proposed new state keeps prior computed values, and the stand-in keeps
them. Replacement: the attribute paths of replace_rules.json come back as `requires_replace`, with
SDKv2 semantics for aws (null == zero, unknown forces, a ForceNew block only when added or removed)
and framework semantics for awscc.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform.standin import replace
from sagespec.terraform.standin.ctyvalue import UNKNOWN, is_known
from sagespec.terraform.standin.schema import Block
from tests.helpers import standin
from tests.helpers.standin import obj, resource

ACCOUNT = "111122223333"
AWS_CONFIG = {
    "region": "us-east-1",
    "allowed_account_ids": [ACCOUNT],
    "default_tags": [{"tags": {"managed-by": "sagespec"}}],
}


@pytest.fixture
def aws() -> standin.StandinProvider:
    return standin.provider("aws", **AWS_CONFIG)


@pytest.fixture
def awscc() -> standin.StandinProvider:
    return standin.provider("awscc", region="us-east-1")


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


def create(served: standin.StandinProvider, type_name: str, config: dict[str, Any]) -> Any:
    """Plan and apply a new resource: the prior state of an update."""
    planned, paths = standin.plan(served, type_name, None, config, config)
    assert paths == []
    return standin.apply(served, type_name, None, planned, config)


def update(
    served: standin.StandinProvider, provider: str, type_name: str, prior: Any, config: dict[str, Any]
) -> tuple[Any, list[standin.Path]]:
    block = resource(provider, type_name)
    return standin.plan(served, type_name, prior, proposed_new(block, prior, config), config)


# ---- create and update ---------------------------------------------------------------------------


def _role(**values: Any) -> dict[str, Any]:
    return obj(resource("aws", "aws_iam_role"), name="r", assume_role_policy="{}", **values)


def test_create_leaves_computed_attributes_unknown(aws: standin.StandinProvider) -> None:
    planned, paths = standin.plan(
        aws, "aws_iam_role", None, _role(tags={"team": "a"}), _role(tags={"team": "a"})
    )
    assert paths == []
    for computed_only in ("arn", "unique_id", "create_date"):
        assert planned[computed_only] is UNKNOWN, computed_only
    # Optional+Computed and left null: the provider decides, so unknown too.
    assert planned["id"] is UNKNOWN and planned["name_prefix"] is UNKNOWN
    # Configured values stay; optional-only ones left null stay null.
    assert (planned["name"], planned["assume_role_policy"]) == ("r", "{}")
    assert planned["description"] is None and planned["path"] is None
    # tags_all is known at plan time: the provider's default_tags under the resource's tags.
    assert planned["tags_all"] == {"managed-by": "sagespec", "team": "a"}


def test_create_plans_the_providers_region(aws: standin.StandinProvider) -> None:
    config = obj(resource("aws", "aws_sagemaker_model"), name="m", execution_role_arn="arn:r")
    planned, _ = standin.plan(aws, "aws_sagemaker_model", None, config, config)
    assert planned["region"] == "us-east-1" and planned["arn"] is UNKNOWN


def test_update_keeps_prior_computed_values(aws: standin.StandinProvider) -> None:
    prior = create(aws, "aws_iam_role", _role(tags={"team": "a"}))
    assert is_known(prior)
    planned, paths = update(aws, "aws", "aws_iam_role", prior, _role(description="new", tags={"team": "b"}))
    assert paths == []  # description and tags update in place
    for kept in ("arn", "unique_id", "create_date", "id", "name_prefix", "managed_policy_arns"):
        assert planned[kept] == prior[kept], kept
    assert planned["description"] == "new"
    assert planned["tags_all"] == {"managed-by": "sagespec", "team": "b"}


def test_an_unchanged_configuration_plans_the_prior_state(aws: standin.StandinProvider) -> None:
    prior = create(aws, "aws_iam_role", _role())
    planned, paths = update(aws, "aws", "aws_iam_role", prior, _role())
    assert (planned, paths) == (prior, [])  # what makes the second plan of the real modules empty


# ---- replacement: aws (SDKv2 ForceNew) -------------------------------------------------------------


def _endpoint_config(instance_type: str, **values: Any) -> dict[str, Any]:
    block = resource("aws", "aws_sagemaker_endpoint_configuration")
    variant = obj(
        block.blocks["production_variants"].block,
        variant_name="AllTraffic",
        model_name="m",
        instance_type=instance_type,
        initial_instance_count=1,
    )
    return obj(block, name="c", production_variants=[variant], **values)


def test_an_aws_force_new_attribute_requires_replacement(aws: standin.StandinProvider) -> None:
    """production_variants.*.instance_type is ForceNew
    (internal/service/sagemaker/endpoint_configuration.go in hashicorp/terraform-provider-aws)."""
    prior = create(aws, "aws_sagemaker_endpoint_configuration", _endpoint_config("ml.m5.large"))
    planned, paths = update(
        aws, "aws", "aws_sagemaker_endpoint_configuration", prior, _endpoint_config("ml.g5.xlarge")
    )
    assert paths == [("production_variants", 0, "instance_type")]
    # A replacement is planned from an empty state: what the provider computes is unknown again.
    assert planned["arn"] is UNKNOWN and planned["id"] is UNKNOWN
    assert planned["production_variants"][0]["instance_type"] == "ml.g5.xlarge"


def test_in_place_changes_and_sdkv2_zero_values_do_not_replace(aws: standin.StandinProvider) -> None:
    prior = create(aws, "aws_sagemaker_endpoint_configuration", _endpoint_config("ml.m5.large"))
    tagged, paths = update(
        aws,
        "aws",
        "aws_sagemaker_endpoint_configuration",
        prior,
        _endpoint_config("ml.m5.large", tags={"a": "b"}),
    )
    assert paths == [] and tagged["arn"] == prior["arn"]
    # kms_key_arn is ForceNew, but SDKv2 sees null and "" as the same value.
    _, paths = update(
        aws,
        "aws",
        "aws_sagemaker_endpoint_configuration",
        prior,
        _endpoint_config("ml.m5.large", kms_key_arn=""),
    )
    assert paths == []
    _, paths = update(
        aws,
        "aws",
        "aws_sagemaker_endpoint_configuration",
        prior,
        _endpoint_config("ml.m5.large", kms_key_arn="k"),
    )
    assert paths == [("kms_key_arn",)]


def test_an_unknown_force_new_value_requires_replacement(aws: standin.StandinProvider) -> None:
    prior = create(aws, "aws_sagemaker_endpoint_configuration", _endpoint_config("ml.m5.large"))
    config = _endpoint_config("ml.m5.large", execution_role_arn=UNKNOWN)  # known only after apply
    _, paths = update(aws, "aws", "aws_sagemaker_endpoint_configuration", prior, config)
    assert paths == [("execution_role_arn",)]


def _endpoint(alarms: list[str] | None) -> dict[str, Any]:
    block = resource("aws", "aws_sagemaker_endpoint")
    deployment = block.blocks["deployment_config"].block
    rollback = deployment.blocks["auto_rollback_configuration"].block
    configs = (
        []
        if alarms is None
        else [obj(rollback, alarms=[obj(rollback.blocks["alarms"].block, alarm_name=a) for a in alarms])]
    )
    return obj(
        block,
        name="e",
        endpoint_config_name="c",
        deployment_config=[obj(deployment, auto_rollback_configuration=configs)],
    )


def test_a_force_new_block_replaces_only_when_added_or_removed(aws: standin.StandinProvider) -> None:
    """deployment_config.*.auto_rollback_configuration is a ForceNew block whose `alarms` are not
    ForceNew (internal/service/sagemaker/endpoint.go): SDKv2 diffs the block's element count
    (helper/schema/schema.go in hashicorp/terraform-plugin-sdk, diffList), so new alarms update the
    endpoint in place, and adding or removing the block replaces it."""
    assert ("deployment_config", "*", "auto_rollback_configuration") in replace.load()[
        "aws_sagemaker_endpoint"
    ].force_new
    prior = create(aws, "aws_sagemaker_endpoint", _endpoint(["a"]))
    planned, paths = update(aws, "aws", "aws_sagemaker_endpoint", prior, _endpoint(["b", "c"]))
    assert paths == [] and planned["arn"] == prior["arn"]
    _, paths = update(aws, "aws", "aws_sagemaker_endpoint", prior, _endpoint(None))
    assert paths == [("deployment_config", 0, "auto_rollback_configuration")]
    bare = create(aws, "aws_sagemaker_endpoint", _endpoint(None))
    _, paths = update(aws, "aws", "aws_sagemaker_endpoint", bare, _endpoint(["a"]))
    assert paths == [("deployment_config", 0, "auto_rollback_configuration")]


def test_a_changed_region_moves_an_aws_resource(aws: standin.StandinProvider) -> None:
    """aws 6.x: `region` per resource, ForceNew (internal/provider/sdkv2/region.go)."""
    prior = create(aws, "aws_sagemaker_endpoint_configuration", _endpoint_config("ml.m5.large"))
    _, paths = update(
        aws,
        "aws",
        "aws_sagemaker_endpoint_configuration",
        prior,
        _endpoint_config("ml.m5.large", region="us-east-1"),
    )
    assert paths == []  # the provider's region, written out: the same place
    _, paths = update(
        aws,
        "aws",
        "aws_sagemaker_endpoint_configuration",
        prior,
        _endpoint_config("ml.m5.large", region="eu-west-1"),
    )
    assert paths == [("region",)]


# ---- replacement: awscc (CloudFormation createOnlyProperties) ------------------------------------


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
