"""ApplyResourceChange and ReadDataSource of the stand-ins, called as Terraform calls them.

Apply fills every unknown deterministically (ARNs built from names the way AWS builds them), so
the same configuration always applies to the same state. Data sources answer as the real ones do
where the modules depend on it: caller identity, partition and region from the provider
configuration; a secret version that is stable for one ARN and differs for another.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from sagespec.terraform.standin.ctyvalue import is_known
from tests.helpers import standin
from tests.helpers.standin import data_source, obj, resource

ACCOUNT = "111122223333"


def applied(provider: standin.StandinProvider, type_name: str, config: dict[str, Any]) -> Any:
    planned, _ = standin.plan(provider, type_name, None, config, config)
    assert not is_known(planned)  # something was left for apply to fill
    state = standin.apply(provider, type_name, None, planned, config)
    assert is_known(state), state
    return state


def aws(region: str = "us-east-1", **config: Any) -> standin.StandinProvider:
    return standin.provider("aws", region=region, allowed_account_ids=[ACCOUNT], **config)


# ---- apply ---------------------------------------------------------------------------------------
# ARN formats: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
# (model, endpoint-config, endpoint, inference-component), .../list_awsidentityandaccessmanagementiam.html
# (role: no region), .../list_amazons3.html (bucket: no region, no account).


@pytest.mark.parametrize(
    ("type_name", "values", "arn_attribute", "arn"),
    [
        (
            "aws_sagemaker_model",
            {"name": "m", "execution_role_arn": "arn:r"},
            "arn",
            f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/m",
        ),
        (
            "aws_sagemaker_endpoint_configuration",
            {"name": "c"},
            "arn",
            f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint-config/c",
        ),
        (
            "aws_sagemaker_endpoint",
            {"name": "e", "endpoint_config_name": "c"},
            "arn",
            f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/e",
        ),
        ("aws_iam_role", {"name": "r", "assume_role_policy": "{}"}, "arn", f"arn:aws:iam::{ACCOUNT}:role/r"),
        ("aws_s3_bucket", {"bucket": "b"}, "arn", "arn:aws:s3:::b"),
    ],
)
def test_apply_builds_arns_from_names(
    type_name: str, values: dict[str, Any], arn_attribute: str, arn: str
) -> None:
    state = applied(aws(), type_name, obj(resource("aws", type_name), **values))
    assert state[arn_attribute] == arn


def test_ids_are_what_the_real_providers_use() -> None:
    provider = aws()
    assert applied(provider, "aws_sagemaker_model", _model("m"))["id"] == "m"
    policy = obj(resource("aws", "aws_iam_role_policy"), name="p", role="r", policy="{}")
    assert applied(provider, "aws_iam_role_policy", policy)["id"] == "r:p"  # ROLE:POLICY, as the import id
    awscc = standin.provider("awscc", region="eu-west-1")
    block = resource("awscc", "awscc_sagemaker_inference_component")
    component = applied(
        awscc, "awscc_sagemaker_inference_component", obj(block, inference_component_name="ic")
    )
    arn = "arn:aws:sagemaker:eu-west-1:123456789012:inference-component/ic"  # no account pinned: the default
    assert (
        component["inference_component_arn"] == arn and component["id"] == arn
    )  # Cloud Control's identifier


def _model(name: str | None, **values: Any) -> dict[str, Any]:
    return obj(resource("aws", "aws_sagemaker_model"), name=name, execution_role_arn="arn:r", **values)


def test_apply_is_deterministic() -> None:
    first = applied(aws(), "aws_sagemaker_model", _model("m", tags={"a": "b"}))
    again = applied(aws(), "aws_sagemaker_model", _model("m", tags={"a": "b"}))
    assert first == again
    other = applied(aws(), "aws_sagemaker_model", _model("n", tags={"a": "b"}))
    assert other["arn"] != first["arn"]


def test_generated_names_are_stable_and_used_in_the_arn() -> None:
    """name = null: the provider generates one (terraform-<suffix>); here it is derived, not random."""
    first = applied(aws(), "aws_sagemaker_model", _model(None))
    assert re.fullmatch(r"terraform-[0-9a-f]{16}", first["name"])
    assert first["arn"].endswith(f":model/{first['name']}")
    assert applied(aws(), "aws_sagemaker_model", _model(None)) == first


def test_partition_and_account_follow_the_provider() -> None:
    china = applied(aws("cn-north-1"), "aws_sagemaker_model", _model("m"))
    assert china["arn"] == f"arn:aws-cn:sagemaker:cn-north-1:{ACCOUNT}:model/m"
    unpinned = standin.provider("aws", region="us-gov-west-1")
    gov = applied(unpinned, "aws_sagemaker_model", _model("m"))
    assert gov["arn"] == "arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model/m"


def test_timestamps_are_one_fixed_instant() -> None:
    role = applied(
        aws(), "aws_iam_role", obj(resource("aws", "aws_iam_role"), name="r", assume_role_policy="{}")
    )
    assert role["create_date"] == "2026-01-01T00:00:00Z"


def test_a_destroy_applies_to_null() -> None:
    provider = aws()
    state = applied(provider, "aws_sagemaker_model", _model("m"))
    assert standin.apply(provider, "aws_sagemaker_model", state, None, None) is None


def test_unknowns_inside_nested_blocks_are_filled() -> None:
    block = resource("aws", "aws_sagemaker_endpoint_configuration")
    variant = obj(block.blocks["production_variants"].block, variant_name="v", model_name="m")
    state = applied(
        aws(), "aws_sagemaker_endpoint_configuration", obj(block, name="c", production_variants=[variant])
    )
    assert state["production_variants"][0]["variant_name"] == "v"
    assert is_known(state["production_variants"])


# ---- data sources --------------------------------------------------------------------------------


def _read(provider: standin.StandinProvider, type_name: str, **values: Any) -> Any:
    state = standin.read_data(provider, type_name, obj(data_source("aws", type_name), **values))
    assert is_known(state), state
    return state


def test_caller_identity_is_the_pinned_account() -> None:
    identity = _read(aws(), "aws_caller_identity")
    assert (identity["account_id"], identity["id"]) == (ACCOUNT, ACCOUNT)
    assert identity["arn"].startswith(f"arn:aws:sts::{ACCOUNT}:")
    assert _read(standin.provider("aws", region="us-east-1"), "aws_caller_identity")["account_id"] == (
        "123456789012"
    )


@pytest.mark.parametrize(
    ("region", "partition", "dns_suffix", "reverse"),
    [
        ("us-east-1", "aws", "amazonaws.com", "com.amazonaws"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com", "com.amazonaws"),
    ],
)
def test_partition_follows_the_region(region: str, partition: str, dns_suffix: str, reverse: str) -> None:
    """The partitions' DNS suffixes as in the AWS SDKs' endpoints data (partitions.json)."""
    found = _read(aws(region), "aws_partition")
    assert (found["partition"], found["dns_suffix"], found["reverse_dns_prefix"], found["id"]) == (
        partition,
        dns_suffix,
        reverse,
        partition,
    )


def test_region_is_the_providers_or_the_one_asked_for() -> None:
    here = _read(aws("eu-central-1"), "aws_region")
    assert (here["name"], here["region"], here["id"]) == ("eu-central-1", "eu-central-1", "eu-central-1")
    there = _read(aws("eu-central-1"), "aws_region", region="ap-south-1")
    assert (there["name"], there["region"]) == ("ap-south-1", "ap-south-1")


SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:hf-token-AbCdEf"


def test_a_secret_version_is_deterministic_from_its_arn() -> None:
    first = _read(aws(), "aws_secretsmanager_secret_version", secret_id=SECRET)
    assert _read(aws(), "aws_secretsmanager_secret_version", secret_id=SECRET) == first
    assert first["arn"] == SECRET and first["version_stage"] == "AWSCURRENT"
    assert first["version_stages"] == ["AWSCURRENT"]
    assert uuid.UUID(first["version_id"])  # Secrets Manager version ids are UUIDs
    rotated = _read(aws(), "aws_secretsmanager_secret_version", secret_id=SECRET.replace("AbCdEf", "XyZ123"))
    assert rotated["version_id"] != first["version_id"]
    assert rotated["secret_string"] != first["secret_string"]
    # Never a real secret: a value that says what it is.
    assert first["secret_string"].startswith("sagespec-offline-secret-")


def test_a_secret_version_asked_for_by_id_or_stage_is_that_one() -> None:
    pinned = _read(aws(), "aws_secretsmanager_secret_version", secret_id=SECRET, version_id="v-1")
    assert pinned["version_id"] == "v-1"
    previous = _read(
        aws(), "aws_secretsmanager_secret_version", secret_id=SECRET, version_stage="AWSPREVIOUS"
    )
    current = _read(aws(), "aws_secretsmanager_secret_version", secret_id=SECRET)
    assert previous["version_stage"] == "AWSPREVIOUS" and previous["version_id"] != current["version_id"]


def test_a_secret_named_by_name_gets_an_arn_in_the_providers_account() -> None:
    by_name = _read(aws("eu-west-1"), "aws_secretsmanager_secret_version", secret_id="hf-token")
    assert by_name["arn"] == f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:hf-token"
