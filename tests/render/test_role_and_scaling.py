"""render/role.py and render/scaling.py: the execution role's grants, autoscaling and rollout blocks."""

from __future__ import annotations

import pytest

from sagespec.render import role, scaling


@pytest.mark.parametrize(
    ("uri", "arn"),
    [
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/llm:1.2",
            "arn:aws:ecr:eu-west-1:123456789012:repository/team/llm",
        ),
        (
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm@sha256:abc",
            "arn:aws:ecr:us-east-1:123456789012:repository/llm",
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/llm",
            "arn:aws-cn:ecr:cn-north-1:123456789012:repository/llm",
        ),
        ("ghcr.io/huggingface/tgi:2.0", None),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/", None),
    ],
)
def test_ecr_repository_arn(uri: str, arn: str | None) -> None:
    assert role.ecr_repository_arn(uri) == arn


def test_grants_are_exact_and_sorted() -> None:
    grants = role.RoleGrants("dev", "us-east-1")
    grants.read_artifact("s3://b/models/m/abc.tar.gz", compressed=True)
    grants.read_artifact("s3://b/hf/m/rev", compressed=False)
    grants.write_prefix("s3://b/async/e/output/")
    grants.pull_image("ghcr.io/x/y:1")  # not ECR: no grant
    rendered = grants.render(None, vpc_access=False)
    assert rendered["s3_read_object_arns"] == [
        "arn:aws:s3:::b/hf/m/rev/*",
        "arn:aws:s3:::b/models/m/abc.tar.gz",
    ]
    assert rendered["s3_list_prefixes"] == [{"bucket_arn": "arn:aws:s3:::b", "prefix": "hf/m/rev/"}]
    assert rendered["s3_write_prefix_arns"] == ["arn:aws:s3:::b/async/e/output/*"]
    assert rendered["ecr_repository_arns"] == [] and rendered["kms_key_arns"] == []


def test_autoscaling_defaults_and_scale_from_zero() -> None:
    block = scaling.autoscaling(
        "inference-component", {"min_copies": 0, "max_copies": 4, "target_invocations_per_copy": 10}
    )
    assert block is not None
    assert block["scalable_dimension"] == "sagemaker:inference-component:DesiredCopyCount"
    assert (block["scale_in_cooldown_s"], block["scale_out_cooldown_s"]) == (300, 60)
    assert block["scale_from_zero"]
    realtime = scaling.autoscaling(
        "realtime", {"min_instances": 0, "max_instances": 2, "target_invocations_per_instance": 5}
    )
    assert (
        realtime is not None and not realtime["scale_from_zero"]
    )  # target tracking from 0 only for async/IC
    assert scaling.autoscaling("realtime", None) is None


def test_rollout_needs_a_strategy() -> None:
    assert scaling.rollout({"allow_downtime": True}) is None
    block = scaling.rollout({"strategy": "canary", "canary_percent": 10})
    assert block is not None
    assert (block["traffic_routing"], block["step_percent"], block["wait_s"]) == ("CANARY", 10, 300)
