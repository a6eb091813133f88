"""sagespec verify: moto for endpoints that land, botocore's Stubber (real API shapes) for inference
components, rollbacks, failed updates and timeouts. No real sleeping: clock and sleep are injected.
Judging one reply: test_verify_checks.py; waiting: test_verify_wait.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec.ops import verify_checks as verify
from tests.helpers.verify_replies import (
    ADAPTER_URL,
    FLAN_CONFIG,
    POOL_CONFIG,
    adapter_reply,
    component_reply,
    endpoint_reply,
    stubbed,
)
from tests.ops.conftest import cli, deploy_rendered, queue_results

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
