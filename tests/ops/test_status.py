"""sagespec status: moto for endpoints and autoscaling, Stubber for inference components."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec.ops import statusinfo
from tests.helpers.rendered import SAGEMAKER_ARN as ARN
from tests.helpers.rendered import config_name, rendered
from tests.ops.conftest import cli, deploy_rendered


def _drop_components(repo: Path) -> None:
    """moto has no inference components: the moto tests use an env without them."""
    path = repo / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["inference_components"] = {}
    path.write_text(json.dumps(rendered))


@pytest.fixture
def deployed(ops_repo: Path, sm: Any) -> Path:
    """Every rendered endpoint but the pool, summarizer on another config than the rendered one."""
    _drop_components(ops_repo)
    deploy_rendered(sm, "dev", configs={"summarizer": "summarizer-dev-00000000"})
    scaling = boto3.client("application-autoscaling", region_name="us-east-1")
    scaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/flan-t5-dev/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=3,
    )
    return ops_repo


def test_status_json_reports_every_rendered_endpoint(
    deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(deployed, "status", "--env", "dev", "--format", "json") == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(rendered("dev")["endpoints"])
    assert {"flan-t5", "cpu-pool", "summarizer"} < set(rows)  # and the endpoints deployed as rendered
    flan = rows["flan-t5"]
    assert (flan["kind"], flan["name"], flan["status"]) == ("endpoint", "flan-t5-dev", "InService")
    assert (flan["instance_type"], flan["instances"], flan["autoscaling"]) == ("ml.m5.xlarge", "1/1", "1-3")
    assert flan["updated"] and flan["reason"] is None
    assert rows["cpu-pool"]["status"] == "NotFound" and "not created yet" in rows["cpu-pool"]["reason"]
    assert (
        f"runs summarizer-dev-00000000; rendered {config_name('dev', 'summarizer')}"
        in rows["summarizer"]["reason"]
    )
    others = set(rows) - {"flan-t5", "cpu-pool", "summarizer"}  # deployed as rendered
    assert all((rows[k]["status"], rows[k]["reason"]) == ("InService", None) for k in others)


def test_status_table(deployed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(deployed, "status", "--env", "dev") == 0
    out = capsys.readouterr().out
    assert "flan-t5-dev" in out and "InService" in out and "1-3" in out and "NotFound" in out


def test_status_check_fails_unless_all_in_service(deployed: Path) -> None:
    assert cli(deployed, "status", "--env", "dev", "--check") == 1


def test_component_row_from_a_stubbed_client() -> None:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    stub.add_response(
        "describe_inference_component",
        {
            "InferenceComponentName": "embedder-dev",
            "EndpointName": "cpu-pool-dev",
            "InferenceComponentArn": f"{ARN}:inference-component/embedder-dev",
            "EndpointArn": f"{ARN}:endpoint/cpu-pool-dev",
            "CreationTime": datetime(2024, 1, 1, tzinfo=UTC),
            "LastModifiedTime": datetime(2024, 1, 1, 0, 10, tzinfo=UTC),
            "InferenceComponentStatus": "Failed",
            "FailureReason": "image pull failed",
            "RuntimeConfig": {"DesiredCopyCount": 2, "CurrentCopyCount": 0},
        },
        {"InferenceComponentName": "embedder-dev"},
    )
    stub.add_client_error(
        "describe_inference_component",
        "ValidationException",
        'Could not find inference component "gone-dev".',
    )
    with stub:
        row = statusinfo.component_row(sm, "embedder", {"name": "embedder-dev"}, "cpu-pool-dev")
        gone = statusinfo.component_row(sm, "gone", {"name": "gone-dev"}, "cpu-pool-dev")
    assert (row.status, row.copies, row.reason, row.instance_type) == (
        "Failed",
        "0/2",
        "image pull failed",
        "on cpu-pool-dev",
    )
    assert row.updated == "2024-01-01T00:10:00+00:00"
    assert gone.status == "NotFound" and "not created yet" in (gone.reason or "")
