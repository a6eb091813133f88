"""Resource changes predicted from two rendered dicts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sagespec.project import load_project
from sagespec.review.resource_diff import CREATE, DESTROY, REPLACE, UPDATE, ResourceChange, diff_env
from sagespec.validation import validate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prod() -> dict[str, Any]:
    outcome = validate(load_project(REPO), ["prod"])
    return outcome.rendered["prod"]


def _by_address(changes: list[ResourceChange]) -> dict[str, ResourceChange]:
    return {c.address: c for c in changes}


def test_identical_renders_change_nothing(prod: dict[str, Any]) -> None:
    assert diff_env(prod, copy.deepcopy(prod)) == []


def test_model_content_change_replaces_model_and_config_and_updates_endpoint(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["models"]["falcon-40b"]["name"] = "falcon-40b-prod-00000000"
    head["models"]["falcon-40b"]["environment"]["OPTION_DTYPE"] = "bf16"
    head["endpoints"]["falcon-40b"]["config_name"] = "falcon-40b-prod-11111111"
    changes = _by_address(diff_env(prod, head))
    model = changes["aws_sagemaker_model.falcon-40b"]
    assert model.action == REPLACE and not model.disruptive
    assert "environment OPTION_DTYPE: fp16 → bf16" in model.details
    config = changes["aws_sagemaker_endpoint_configuration.falcon-40b"]
    assert config.action == REPLACE and any(
        line.startswith("model: falcon-40b-prod-") for line in config.details
    )
    endpoint = changes["aws_sagemaker_endpoint.falcon-40b"]
    assert endpoint.action == UPDATE and not endpoint.disruptive
    # the spec's canary rollout is named
    assert "canary 50 %" in endpoint.reason and "auto-rollback on falcon-40b-prod-5xx" in endpoint.reason


def test_endpoint_only_in_base_is_a_loud_destroy(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    del head["endpoints"]["gpt-neo-125m"], head["models"]["gpt-neo-125m"]
    changes = _by_address(diff_env(prod, head))
    endpoint = changes["aws_sagemaker_endpoint.gpt-neo-125m"]
    assert endpoint.action == DESTROY and endpoint.disruptive
    assert "traffic to gpt-neo-125m-prod stops" in endpoint.reason
    assert changes["aws_sagemaker_model.gpt-neo-125m"].action == DESTROY


def test_endpoint_type_change_is_a_replacement_with_downtime(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["endpoints"]["gpt-neo-125m"].update(type="async", config_name="gpt-neo-125m-prod-22222222")
    endpoint = _by_address(diff_env(prod, head))["aws_sagemaker_endpoint.gpt-neo-125m"]
    assert endpoint.action == REPLACE and endpoint.disruptive and "DOWNTIME" in endpoint.reason


def test_component_copies_are_an_update_and_moving_pools_a_replacement(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["inference_components"]["mistral-7b-instruct"]["copies"] = 2
    change = _by_address(diff_env(prod, head))["awscc_sagemaker_inference_component.mistral-7b-instruct"]
    assert change.action == UPDATE and change.reason == "copies 4 → 2"
    head["inference_components"]["mistral-7b-instruct"]["endpoint_key"] = "other-pool"
    change = _by_address(diff_env(prod, head))["awscc_sagemaker_inference_component.mistral-7b-instruct"]
    assert change.action == REPLACE and change.disruptive


def test_secret_environment_values_never_appear(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    model = head["models"]["mistral-7b-instruct"]
    model["name"] = "mistral-7b-instruct-prod-33333333"
    model["secret_environment"]["HF_TOKEN"] = "arn:aws:secretsmanager:us-east-1:1:secret:other"
    model["secret_environment"]["EXTRA_KEY"] = "arn:aws:secretsmanager:us-east-1:1:secret:extra"
    head["execution_role"]["secret_arns"].append("arn:aws:secretsmanager:us-east-1:1:secret:extra")
    changes = diff_env(prod, head)
    text = repr(changes)
    assert "secretsmanager" not in text
    lines = _by_address(changes)["aws_sagemaker_model.mistral-7b-instruct"].details
    assert "secret environment HF_TOKEN: secret ARN changed (value not shown)" in lines
    assert "secret environment EXTRA_KEY added (value not shown)" in lines


def test_autoscaling_changes(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["endpoints"]["flan-t5-biography"]["autoscaling"]["max_capacity"] = 5
    head["endpoints"]["gpt-neo-125m"]["autoscaling"] = dict(
        head["endpoints"]["flan-t5-biography"]["autoscaling"]
    )
    changes = _by_address(diff_env(prod, head))
    assert changes["aws_appautoscaling_target.flan-t5-biography"].action == UPDATE
    assert "max capacity: 3 → 5" in changes["aws_appautoscaling_target.flan-t5-biography"].details
    assert changes["aws_appautoscaling_target.gpt-neo-125m"].action == CREATE


def test_new_environment_creates_everything(prod: dict[str, Any]) -> None:
    changes = diff_env(None, prod)
    assert changes and {c.action for c in changes} == {CREATE}
    assert "aws_s3_bucket.artifacts" in _by_address(changes)


def test_region_move_destroys_and_recreates(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["aws"]["region"] = "eu-west-1"
    changes = diff_env(prod, head)
    assert changes[0].address == "provider.aws" and changes[0].disruptive
    actions = {c.action for c in changes[1:]}
    assert actions == {CREATE, DESTROY}


def test_role_policy_lists_permission_changes(prod: dict[str, Any]) -> None:
    head = copy.deepcopy(prod)
    head["execution_role"]["sns_topic_arns"] = []
    change = _by_address(diff_env(prod, head))["aws_iam_role_policy.execution"]
    assert change.action == UPDATE and change.reason == "permissions changed: SNS publish"
    assert all(line.startswith("- SNS publish: arn:aws:sns:") for line in change.details)
