"""Judging one reply (endpoint, inference component, adapter) and the expectations a render gives:
landed, rolled back, failed, pending, missing. Replies have the real API's shapes."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
from botocore.stub import Stubber

from sagespec.ops import verify_checks as verify
from sagespec.ops.verify_checks import Expect
from tests.helpers.verify_replies import (
    ADAPTER,
    ADAPTER_URL,
    COMPONENT,
    EMBEDDER_MODEL,
    ENDPOINT,
    FLAN_CONFIG,
    adapter_reply,
    component_reply,
    endpoint_reply,
)

# --- judging one reply ---------------------------------------------------------------------------


def test_landed_endpoint() -> None:
    assert verify.judge_endpoint(ENDPOINT, endpoint_reply()).state == verify.LANDED


def test_rolled_back_endpoint_names_the_config_reason_and_alarms() -> None:
    reply = endpoint_reply(config="flan-t5-dev-00000000", reason="Alarm my-5xx fired", alarms=["my-5xx"])
    verdict = verify.judge_endpoint(ENDPOINT, reply)
    assert verdict.state == verify.ROLLED_BACK
    assert verdict.reason == (
        f"runs endpoint config flan-t5-dev-00000000, rendered {FLAN_CONFIG}: "
        "Alarm my-5xx fired (rollback alarms: my-5xx)"
    )


def test_failed_create_endpoint() -> None:
    verdict = verify.judge_endpoint(ENDPOINT, endpoint_reply("Failed", reason="health check failed"))
    assert (verdict.state, verdict.reason) == (verify.FAILED, "health check failed")


def test_endpoint_still_scaling_is_pending() -> None:
    verdict = verify.judge_endpoint(ENDPOINT, endpoint_reply(current=0, desired=1))
    assert (verdict.state, verdict.reason) == (verify.PENDING, "0 of 1 instances in service")


def test_autoscaled_count_within_bounds_lands_outside_does_not() -> None:
    scaled = Expect("endpoint", "flan-t5", "flan-t5-dev", FLAN_CONFIG, 1, (1, 3), 600, "x")
    assert verify.judge_endpoint(scaled, endpoint_reply(current=3, desired=3)).state == verify.LANDED
    assert verify.judge_endpoint(ENDPOINT, endpoint_reply(current=3, desired=3)).reason == (
        "3 instances, rendered 1"
    )


def test_secret_model_config_matches_on_the_stable_part_of_its_name() -> None:
    secret = Expect("endpoint", "f", "flan-t5-dev", FLAN_CONFIG, 1, None, 600, "x", True)
    assert verify.judge_endpoint(secret, endpoint_reply(config="flan-t5-dev-12345678")).state == verify.LANDED
    assert (
        verify.judge_endpoint(secret, endpoint_reply(config="other-dev-12345678")).state == verify.ROLLED_BACK
    )


def test_component_rolled_back_to_the_old_model() -> None:
    reply = component_reply(model="embedder-dev-00000000", reason="copies failed the health check")
    reply["LastDeploymentConfig"] = {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "COPY_COUNT", "Value": 1},
            "WaitIntervalInSeconds": 120,
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "embedder-errors"}]},
    }
    verdict = verify.judge_component(COMPONENT, reply)
    assert verdict.state == verify.ROLLED_BACK
    assert verdict.reason == (
        f"serves model embedder-dev-00000000, rendered {EMBEDDER_MODEL}: "
        "copies failed the health check (rollback alarms: embedder-errors)"
    )
    stub = Stubber(boto3.client("sagemaker", region_name="us-east-1"))
    stub.add_response("describe_inference_component", reply)  # the reply has the real API's shape


def test_missing_resources() -> None:
    assert verify.judge_endpoint(ENDPOINT, None).state == verify.MISSING
    assert verify.judge_component(COMPONENT, None).state == verify.MISSING


def test_adapter_outcomes() -> None:
    stub = Stubber(boto3.client("sagemaker", region_name="us-east-1"))
    stub.add_response("describe_inference_component", adapter_reply())  # the real API's shape
    assert verify.judge_adapter(ADAPTER, adapter_reply()).state == verify.LANDED
    old = ADAPTER_URL.replace("ab" * 32, "cd" * 32)
    verdict = verify.judge_adapter(ADAPTER, adapter_reply(url=old))
    assert verdict.state == verify.ROLLED_BACK and verdict.reason is not None
    assert verdict.reason.startswith(f"loads {old}, rendered {ADAPTER_URL}: ")
    failed = verify.judge_adapter(ADAPTER, adapter_reply("Failed", reason="adapter_config.json missing"))
    assert (failed.state, failed.reason) == (verify.FAILED, "adapter_config.json missing")
    assert verify.judge_adapter(ADAPTER, adapter_reply("Creating")).state == verify.PENDING
    assert verify.judge_adapter(ADAPTER, None).state == verify.MISSING


# --- expectations from the render ------------------------------------------------------------


def test_expectations_take_timeouts_from_startup_and_rollout(ops_repo: Path) -> None:
    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    flan = rendered["endpoints"]["flan-t5"]
    flan["model_data_download_timeout_s"], flan["container_startup_health_check_timeout_s"] = 3600, 1800
    flan["rollout"] = {
        "traffic_routing": "LINEAR",
        "step_percent": 25,
        "wait_s": 300,
        "termination_wait_s": 60,
        "max_execution_timeout_s": None,
        "rollback_alarms": [],
    }
    found = {e.key: e for e in verify.expectations(rendered)}
    assert found["flan-t5"].timeout_s == verify.PROVISION_S + 3600 + 1800 + 4 * 300 + 60
    assert found["flan-t5"].bounds == (1, 3)
    assert found["cpu-pool"].bounds == (1, 2)  # managed instance scaling
    assert found["embedder"].timeout_s == verify.PROVISION_S + verify.DEFAULT_STARTUP_S
    assert (found["embedder"].runs, found["embedder"].endpoint) == (EMBEDDER_MODEL, "cpu-pool-dev")


def test_terraform_outputs_give_the_applied_names(ops_repo: Path) -> None:
    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    rendered["models"]["flan-t5"]["secret_environment"] = {"HF_TOKEN": "arn:aws:secretsmanager:x"}
    guessed = {e.key: e for e in verify.expectations(rendered)}["flan-t5"]
    assert guessed.hashed_at_plan
    applied = {
        e.key: e
        for e in verify.expectations(rendered, {"endpoint_config_names": {"flan-t5": "flan-t5-dev-abcdef12"}})
    }
    assert (applied["flan-t5"].runs, applied["flan-t5"].hashed_at_plan) == ("flan-t5-dev-abcdef12", False)
