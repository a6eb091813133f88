"""sagespec verify: moto for endpoints that land, botocore's Stubber (real API shapes) for inference
components, rollbacks, failed updates and timeouts. No real sleeping: clock and sleep are injected."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from rich.console import Console

from sagespec.ops import verify_checks as verify
from sagespec.ops import verify_wait
from sagespec.ops.verify_checks import Expect
from tests.helpers.rendered import config_name, model_name
from tests.ops.conftest import cli, deploy_rendered, queue_results

ARN = "arn:aws:sagemaker:us-east-1:123456789012"
# dev's rendered names (they end in content hashes): flan-t5's config, the embedder's model, the pool's config
FLAN_CONFIG = config_name("dev", "flan-t5")
EMBEDDER_MODEL = model_name("dev", "embedder")
POOL_CONFIG = config_name("dev", "cpu-pool")
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
QUIET = Console(file=io.StringIO())  # the progress display goes nowhere


def endpoint_reply(
    status: str = "InService",
    config: str = FLAN_CONFIG,
    current: int = 1,
    desired: int = 1,
    reason: str | None = None,
    alarms: list[str] | None = None,
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "EndpointName": "flan-t5-dev",
        "EndpointArn": f"{ARN}:endpoint/flan-t5-dev",
        "EndpointConfigName": config,
        "ProductionVariants": [
            {"VariantName": "AllTraffic", "CurrentInstanceCount": current, "DesiredInstanceCount": desired}
        ],
        "EndpointStatus": status,
        "CreationTime": WHEN,
        "LastModifiedTime": WHEN,
    }
    if reason:
        reply["FailureReason"] = reason
    if alarms:
        reply["LastDeploymentConfig"] = {
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}
            },
            "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": a} for a in alarms]},
        }
    return reply


def component_reply(
    status: str = "InService",
    model: str = EMBEDDER_MODEL,
    current: int = 2,
    desired: int = 2,
    reason: str | None = None,
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "InferenceComponentName": "embedder-dev",
        "InferenceComponentArn": f"{ARN}:inference-component/embedder-dev",
        "EndpointName": "cpu-pool-dev",
        "EndpointArn": f"{ARN}:endpoint/cpu-pool-dev",
        "VariantName": "AllTraffic",
        "Specification": {
            "ModelName": model,
            "ComputeResourceRequirements": {"NumberOfCpuCoresRequired": 1, "MinMemoryRequiredInMb": 2048},
        },
        "RuntimeConfig": {"DesiredCopyCount": desired, "CurrentCopyCount": current},
        "CreationTime": WHEN,
        "LastModifiedTime": WHEN,
        "InferenceComponentStatus": status,
    }
    if reason:
        reply["FailureReason"] = reason
    return reply


ENDPOINT = Expect("endpoint", "flan-t5", "flan-t5-dev", FLAN_CONFIG, 1, None, 600, "flan-t5-dev")
COMPONENT = Expect("component", "embedder", "embedder-dev", EMBEDDER_MODEL, 2, None, 600, "cpu-pool-dev")


class FakeClock:
    """time.monotonic and time.sleep in one: sleeping advances the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def stubbed(replies: list[tuple[str, dict[str, Any]]]) -> tuple[Any, Stubber]:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    for operation, reply in replies:
        name = "EndpointName" if operation == "describe_endpoint" else "InferenceComponentName"
        stub.add_response(operation, reply, {name: reply[name]})
    stub.activate()
    return sm, stub


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


# --- waiting: each outcome -------------------------------------------------------------------


def test_wait_follows_updates_until_landed() -> None:
    clock = FakeClock()
    sm, stub = stubbed(
        [
            ("describe_endpoint", endpoint_reply("Updating")),
            ("describe_inference_component", component_reply("Creating", current=0)),
            ("describe_endpoint", endpoint_reply()),
            ("describe_inference_component", component_reply(current=1)),
            ("describe_inference_component", component_reply()),
        ]
    )
    results = verify_wait.wait_all(sm, [ENDPOINT, COMPONENT], QUIET, 15, None, clock, clock.sleep)
    stub.assert_no_pending_responses()
    assert [r.verdict.state for r in results] == [verify.LANDED, verify.LANDED]
    assert clock.slept == [15, 15] and [r.seconds for r in results] == [15, 30]


def test_wait_reports_a_rollback_once_the_endpoint_is_back_in_service() -> None:
    clock = FakeClock()
    sm, _ = stubbed(
        [
            ("describe_endpoint", endpoint_reply("RollingBack", config="flan-t5-dev-00000000")),
            (
                "describe_endpoint",
                endpoint_reply(config="flan-t5-dev-00000000", reason="Rolled back: my-5xx"),
            ),
        ]
    )
    [result] = verify_wait.wait_all(sm, [ENDPOINT], QUIET, 10, None, clock, clock.sleep)
    assert result.verdict.state == verify.ROLLED_BACK and "Rolled back: my-5xx" in str(result.verdict.reason)


def test_wait_stops_at_once_on_a_failed_component() -> None:
    clock = FakeClock()
    sm, _ = stubbed([("describe_inference_component", component_reply("Failed", reason="OOM in copy"))])
    [result] = verify_wait.wait_all(sm, [COMPONENT], QUIET, 10, None, clock, clock.sleep)
    assert (result.verdict.state, result.verdict.reason, clock.slept) == (verify.FAILED, "OOM in copy", [])


def test_wait_times_out_with_the_last_status() -> None:
    clock = FakeClock()
    sm, _ = stubbed([("describe_endpoint", endpoint_reply("Creating"))] * 3)
    [result] = verify_wait.wait_all(sm, [ENDPOINT], QUIET, 250, None, clock, clock.sleep)
    assert result.verdict.state == verify.TIMED_OUT
    assert result.verdict.reason == "still Creating after 500 s (timeout 600 s)"
    assert clock.slept == [250, 250]


# --- the command ----------------------------------------------------------------------------


def _only_flan(repo: Path) -> None:
    path = repo / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["endpoints"] = {"flan-t5": rendered["endpoints"]["flan-t5"]}
    rendered["inference_components"] = {}
    path.write_text(json.dumps(rendered))


def test_verify_landed_then_smoke_test_passes(
    ops_repo: Path, sm: Any, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _only_flan(ops_repo)
    deploy_rendered(sm, "dev", only={"flan-t5"})
    queue_results(moto, json.dumps([{"generated_text": "William Shakespeare"}]))
    report = ops_repo / "verify.md"
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0", "--report", str(report)) == 0
    out = capsys.readouterr().out
    assert "ok   endpoint flan-t5-dev: landed (InService" in out
    assert "ok   smoke test flan-t5: answered in" in out
    assert "dev: 1/1 landed, 1/1 smoke tests passed" in out
    assert report.read_text().startswith(
        "<!-- sagespec-verify dev -->\n### sagespec verify: dev: ✅ deploy landed"
    )


def test_verify_fails_when_the_endpoint_runs_another_config(
    ops_repo: Path, sm: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _only_flan(ops_repo)
    deploy_rendered(sm, "dev", only={"flan-t5"}, configs={"flan-t5": "flan-t5-dev-00000000"})
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0") == 1
    out = capsys.readouterr().out
    assert "FAIL endpoint flan-t5-dev: rolled back" in out
    assert f"runs endpoint config flan-t5-dev-00000000, rendered {FLAN_CONFIG}" in out
    assert "logs: CloudWatch log group /aws/sagemaker/Endpoints/flan-t5-dev" in out
    assert "smoke test " not in out and "smoke tests not run" in out  # not of a deploy that did not land


def test_verify_of_a_missing_endpoint_exits_1(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _only_flan(ops_repo)
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0") == 1
    assert "FAIL endpoint flan-t5-dev: missing" in capsys.readouterr().out


def test_verify_rolled_back_component_through_the_command(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ops_repo / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["endpoints"] = {"cpu-pool": rendered["endpoints"]["cpu-pool"]}
    path.write_text(json.dumps(rendered))
    pool = endpoint_reply(config=POOL_CONFIG)
    pool["EndpointName"] = "cpu-pool-dev"
    sm, _ = stubbed(
        [
            ("describe_endpoint", pool),
            (
                "describe_inference_component",
                component_reply(model="embedder-dev-00000000", reason="health check"),
            ),
        ]
    )
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    report = ops_repo / "out.md"
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0", "--report", str(report)) == 1
    out = capsys.readouterr().out
    assert "ok   endpoint cpu-pool-dev: landed" in out
    assert "FAIL inference component embedder-dev: rolled back" in out
    assert "logs: CloudWatch log group /aws/sagemaker/Endpoints/cpu-pool-dev" in out
    assert "❌ deploy did not land" in report.read_text()


def test_unreadable_outputs_file_is_a_usage_error(ops_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ops_repo / "outputs.json"
    bad.write_text("{not json")
    assert cli(ops_repo, "verify", "--env", "dev", "--outputs", str(bad)) == 2
    assert "cannot read Terraform outputs" in capsys.readouterr().err


def test_an_aws_service_error_is_reported_as_such(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _only_flan(ops_repo)
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    stub.add_client_error("describe_endpoint", "ThrottlingException", "Rate exceeded", 400)
    stub.activate()
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    assert cli(ops_repo, "verify", "--env", "dev") == 2
    err = capsys.readouterr().err
    assert "verify dev: DescribeEndpoint failed: ThrottlingException: Rate exceeded" in err
    assert "hint: retry later" in err and "Traceback" not in err


def test_a_component_scaled_to_zero_lands_and_is_not_smoke_tested(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ops_repo / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["endpoints"] = {"cpu-pool": rendered["endpoints"]["cpu-pool"]}
    rendered["endpoints"]["cpu-pool"]["managed_instance_scaling"]["min_instances"] = 0
    rendered["inference_components"]["embedder"]["autoscaling"] = {"min_capacity": 0, "max_capacity": 2}
    path.write_text(json.dumps(rendered))
    pool = endpoint_reply(config=POOL_CONFIG, current=0, desired=0)
    pool["EndpointName"] = "cpu-pool-dev"
    sm, _ = stubbed(
        [("describe_endpoint", pool), ("describe_inference_component", component_reply(current=0, desired=0))]
    )
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0") == 0
    out = capsys.readouterr().out
    assert "ok   smoke test embedder: skipped: scaled to zero" in out
    assert "dev: 2/2 landed, 1/1 smoke tests passed" in out


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            endpoint_reply("Failed", reason="The primary container did not pass the ping health check"),
            "FAIL endpoint flan-t5-dev: failed (Failed, 0 s)\n"
            "     reason: The primary container did not pass the ping health check\n",
        ),
        (
            endpoint_reply("Creating"),
            "FAIL endpoint flan-t5-dev: timed out (Creating, 0 s)\n"
            "     reason: still Creating after 0 s (timeout 1 s)\n",
        ),
    ],
    ids=["failed-create", "timed-out"],
)
def test_failed_create_and_timeout_exit_1_with_the_reason(
    ops_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    reply: dict[str, Any],
    expected: str,
) -> None:
    _only_flan(ops_repo)
    sm, stub = stubbed([("describe_endpoint", reply)])
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    # poll 5 s > timeout 1 s: the first look already decides, nothing sleeps
    assert cli(ops_repo, "verify", "--env", "dev", "--timeout", "1", "--poll", "5") == 1
    out = capsys.readouterr().out
    assert expected in out
    assert "logs: CloudWatch log group /aws/sagemaker/Endpoints/flan-t5-dev" in out
    stub.assert_no_pending_responses()


# --- LoRA adapters: inference components on their base's copies -------------------------------

ADAPTER_URL = "s3://acme-sagespec-dev-artifacts/models/sql-lora/" + "ab" * 32 + "/model.tar.gz"
ADAPTER = Expect("adapter", "sql-lora", "sql-lora-dev", ADAPTER_URL, None, None, 600, "cpu-pool-dev")


def adapter_reply(
    status: str = "InService", url: str = ADAPTER_URL, reason: str | None = None
) -> dict[str, Any]:
    reply = component_reply(status, reason=reason)
    reply["InferenceComponentName"] = "sql-lora-dev"
    reply["InferenceComponentArn"] = f"{ARN}:inference-component/sql-lora-dev"
    reply["Specification"] = {"BaseInferenceComponentName": "embedder-dev", "Container": {"ArtifactUrl": url}}
    del reply["RuntimeConfig"]  # an adapter has no copies of its own
    return reply


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


def test_verify_checks_every_rendered_adapter(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An adapter whose new artifact did not land fails verify, though its base landed."""
    path = ops_repo / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["endpoints"] = {"cpu-pool": rendered["endpoints"]["cpu-pool"]}
    rendered["inference_component_adapters"] = {
        "sql-lora": {
            "name": "sql-lora-dev",
            "base_key": "embedder",
            "endpoint_key": "cpu-pool",
            "artifact_url": ADAPTER_URL,
            "tags": {},
        }
    }
    path.write_text(json.dumps(rendered))
    found = {e.key: e for e in verify.expectations(rendered)}
    assert (found["sql-lora"].kind, found["sql-lora"].runs, found["sql-lora"].endpoint) == (
        "adapter",
        ADAPTER_URL,
        "cpu-pool-dev",
    )
    pool = endpoint_reply(config=POOL_CONFIG)
    pool["EndpointName"] = "cpu-pool-dev"
    old = ADAPTER_URL.replace("ab" * 32, "cd" * 32)
    sm, stub = stubbed(
        [
            ("describe_endpoint", pool),
            ("describe_inference_component", component_reply()),
            ("describe_inference_component", adapter_reply(url=old)),
        ]
    )
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    assert cli(ops_repo, "verify", "--env", "dev", "--poll", "0", "--no-smoke") == 1
    out = capsys.readouterr().out
    assert "ok   inference component embedder-dev: landed" in out
    assert "FAIL adapter sql-lora-dev: rolled back" in out and f"loads {old}, rendered {ADAPTER_URL}" in out
    assert "logs: CloudWatch log group /aws/sagemaker/Endpoints/cpu-pool-dev" in out
    assert "dev: 2/3 landed" in out
    stub.assert_no_pending_responses()
