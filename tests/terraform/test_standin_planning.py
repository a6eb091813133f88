"""PlanResourceChange of the stand-ins, called as Terraform calls it (tfplugin6 messages, msgpack).

Create: computed-only attributes (and optional+computed ones the configuration leaves null) are
unknown. Update: Terraform's proposed new state keeps prior computed values, and the stand-in keeps
them. Replacement: the attribute paths of replace_rules.json come back as `requires_replace`, with
SDKv2 semantics for aws (null == zero, unknown forces, a ForceNew block only when added or removed)
and framework semantics for awscc (test_standin_replace_awscc.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from sagespec.terraform.standin import replace
from sagespec.terraform.standin.ctyvalue import UNKNOWN, is_known
from tests.helpers import standin
from tests.helpers.standin import create, obj, resource, update

ACCOUNT = "111122223333"
AWS_CONFIG = {
    "region": "us-east-1",
    "allowed_account_ids": [ACCOUNT],
    "default_tags": [{"tags": {"managed-by": "sagespec"}}],
}


@pytest.fixture
def aws() -> standin.StandinProvider:
    return standin.provider("aws", **AWS_CONFIG)


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
