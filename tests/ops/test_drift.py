"""sagespec drift: moto for endpoints, configs, models and autoscaling; Stubber (real API shapes) for
inference components and autoscaled counts; a refresh-only plan JSON for Terraform's view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec.ops import drift_describe as drift
from sagespec.ops import drift_plan
from tests.helpers.rendered import config_name, model_name
from tests.ops.conftest import cli, deploy_rendered
from tests.ops.test_verify import component_reply, endpoint_reply

DIMENSION = "sagemaker:variant:DesiredInstanceCount"
FLAN_CONFIG, FLAN_MODEL = config_name("dev", "flan-t5"), model_name("dev", "flan-t5")


def _rendered(repo: Path) -> dict[str, Any]:
    return dict(json.loads((repo / "envs/dev/rendered.tfvars.json").read_text()))


def _write(repo: Path, rendered: dict[str, Any]) -> None:
    (repo / "envs/dev/rendered.tfvars.json").write_text(json.dumps(rendered))


@pytest.fixture
def drifted(ops_repo: Path, sm: Any) -> Path:
    """Every rendered endpoint as rendered, except: flan-t5 with widened autoscaling, summarizer on
    another config, no pool."""
    rendered = _rendered(ops_repo)
    rendered["inference_components"] = {}  # moto has none
    rendered["models"].pop("embedder")
    _write(ops_repo, rendered)
    deploy_rendered(sm, "dev", rendered, configs={"summarizer": "summarizer-dev-00000000"})
    boto3.client("application-autoscaling", region_name="us-east-1").register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/flan-t5-dev/variant/AllTraffic",
        ScalableDimension=DIMENSION,
        MinCapacity=1,
        MaxCapacity=8,
    )
    return ops_repo


def test_drift_reports_changed_and_deleted_resources(
    drifted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = drifted / "drift.md"
    assert cli(drifted, "drift", "--env", "dev", "--report", str(report)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "endpoint cpu-pool-dev (cpu-pool): deleted outside Terraform: the endpoint does not exist",
        "endpoint summarizer-dev (summarizer): changed: runs endpoint config summarizer-dev-00000000, "
        f"rendered {config_name('dev', 'summarizer')}",
        "autoscaling flan-t5-dev (flan-t5): changed: bounds 1..8, rendered 1..3",
        "dev: 3 difference(s)",
    ]
    text = report.read_text()
    assert text.startswith("<!-- sagespec-drift dev -->\n### sagespec drift: dev (us-east-1)")
    assert "| endpoint | `summarizer-dev` | `summarizer` | changed |" in text


def test_no_drift_exits_0(drifted: Path, sm: Any, capsys: pytest.CaptureFixture[str]) -> None:
    rendered = _rendered(drifted)
    rendered["endpoints"] = {"flan-t5": rendered["endpoints"]["flan-t5"]}
    rendered["endpoints"]["flan-t5"]["autoscaling"]["max_capacity"] = 8
    rendered["models"] = {"flan-t5": rendered["models"]["flan-t5"]}
    _write(drifted, rendered)
    assert cli(drifted, "drift", "--env", "dev") == 0
    assert capsys.readouterr().out.strip() == "dev: no drift"


def test_deleted_config_and_model(drifted: Path, sm: Any) -> None:
    sm.delete_endpoint_config(EndpointConfigName=FLAN_CONFIG)
    sm.delete_model(ModelName=FLAN_MODEL)
    scaling = boto3.client("application-autoscaling", region_name="us-east-1")
    found = {d.line() for d in drift.collect(sm, scaling, _rendered(drifted))}
    assert (
        f"endpoint-config {FLAN_CONFIG} (flan-t5): deleted outside Terraform: "
        "the endpoint config does not exist" in found
    )
    assert f"model {FLAN_MODEL} (flan-t5): deleted outside Terraform: the model does not exist" in found


def _stubbed_sm(*replies: tuple[str, dict[str, Any]]) -> Any:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    for operation, reply in replies:
        stub.add_response(operation, reply)
    stub.activate()
    return sm


def test_autoscaled_counts_within_bounds_are_not_drift(ops_repo: Path) -> None:
    rendered = _rendered(ops_repo)
    ic = rendered["inference_components"]["embedder"]
    ic["autoscaling"] = {"min_capacity": 1, "max_capacity": 4}
    sm = _stubbed_sm(("describe_inference_component", component_reply(current=4, desired=4)))
    assert drift.component_drift(sm, "embedder", ic, rendered) == []
    flan = rendered["endpoints"]["flan-t5"]  # autoscaling 1..3
    config = {
        "EndpointConfigName": FLAN_CONFIG,
        "EndpointConfigArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/{FLAN_CONFIG}",
        "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": FLAN_MODEL}],
        "CreationTime": "2026-01-01T00:00:00Z",
    }
    sm = _stubbed_sm(
        ("describe_endpoint", endpoint_reply(current=3, desired=3)), ("describe_endpoint_config", config)
    )
    assert drift.endpoint_drift(sm, "flan-t5", flan, rendered) == []


def test_counts_nobody_owns_are_drift(ops_repo: Path) -> None:
    rendered = _rendered(ops_repo)
    ic = rendered["inference_components"]["embedder"]  # 2 copies, no autoscaling
    sm = _stubbed_sm(("describe_inference_component", component_reply(current=3, desired=3)))
    [found] = drift.component_drift(sm, "embedder", ic, rendered)
    assert found.detail == "3 copies, rendered 2"
    ic["autoscaling"] = {"min_capacity": 1, "max_capacity": 2}
    sm = _stubbed_sm(("describe_inference_component", component_reply(current=3, desired=3)))
    [found] = drift.component_drift(sm, "embedder", ic, rendered)
    assert found.detail == "3 copies, outside the autoscaling bounds 1..2"


def test_component_on_another_model_with_other_resources(ops_repo: Path) -> None:
    rendered = _rendered(ops_repo)
    reply = component_reply(model="embedder-dev-00000000")
    reply["Specification"]["ComputeResourceRequirements"]["MinMemoryRequiredInMb"] = 4096
    sm = _stubbed_sm(("describe_inference_component", reply))
    found = [
        d.detail
        for d in drift.component_drift(sm, "embedder", rendered["inference_components"]["embedder"], rendered)
    ]
    assert found == [
        f"serves model embedder-dev-00000000, rendered {model_name('dev', 'embedder')}",
        "memory_mb 4096, rendered 2048",
    ]


def _plan(*drifts: dict[str, Any]) -> dict[str, Any]:
    return {"format_version": "1.2", "resource_drift": list(drifts)}


IC_ADDRESS = 'module.inference_component["embedder"].awscc_sagemaker_inference_component.this'


def _ic_drift(copies_before: int, copies_after: int) -> dict[str, Any]:
    return {
        "address": IC_ADDRESS,
        "type": "awscc_sagemaker_inference_component",
        "change": {
            "actions": ["update"],
            # a refresh also moves the live counts and times, which are status, not drift
            "before": {
                "runtime_config": {"copy_count": copies_before, "current_copy_count": copies_before},
                "last_modified_time": "2026-01-01T00:00:00Z",
                "tags_all": {},
            },
            "after": {
                "runtime_config": {"copy_count": copies_after, "current_copy_count": copies_after},
                "last_modified_time": "2026-01-02T00:00:00Z",
                "tags_all": {"x": "y"},
            },
        },
    }


def test_plan_drift_skips_autoscaled_copies_and_reports_the_rest(ops_repo: Path) -> None:
    rendered = _rendered(ops_repo)
    rendered["inference_components"]["embedder"]["autoscaling"] = {"min_capacity": 1, "max_capacity": 4}
    deleted = {
        "address": 'module.endpoint["flan-t5"].aws_sagemaker_endpoint_configuration.this',
        "type": "aws_sagemaker_endpoint_configuration",
        "change": {"actions": ["delete"], "before": {"name": FLAN_CONFIG}, "after": None},
    }
    changed = {
        "address": 'module.endpoint["flan-t5"].aws_sagemaker_endpoint.this',
        "type": "aws_sagemaker_endpoint",
        "change": {
            "actions": ["update"],
            "before": {"endpoint_config_name": FLAN_CONFIG},
            "after": {"endpoint_config_name": "flan-t5-dev-00000000"},
        },
    }
    found = drift_plan.plan_drift(_plan(_ic_drift(2, 4), deleted, changed), rendered)
    assert [(d.key, d.what, d.detail) for d in found] == [
        (deleted["address"], drift.DELETED, "gone from AWS"),
        (changed["address"], drift.CHANGED, "changed: endpoint_config_name"),
    ]
    # beyond its bounds, or without autoscaling, the copy count is drift
    assert len(drift_plan.plan_drift(_plan(_ic_drift(2, 9)), rendered)) == 1
    rendered["inference_components"]["embedder"]["autoscaling"] = None
    assert len(drift_plan.plan_drift(_plan(_ic_drift(2, 3)), rendered)) == 1


def test_plan_json_joins_the_describe_results(
    drifted: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = tmp_path / "drift.json"
    plan.write_text(json.dumps(_plan(_ic_drift(2, 3))))
    assert cli(drifted, "drift", "--env", "dev", "--plan-json", str(plan)) == 1
    out = capsys.readouterr().out
    assert (
        f"terraform awscc_sagemaker_inference_component ({IC_ADDRESS}): changed: changed: runtime_config"
        in out
    )


def test_a_file_that_is_not_plan_json_is_a_usage_error(
    ops_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"resource_changes": []}')
    assert cli(ops_repo, "drift", "--env", "dev", "--plan-json", str(plan)) == 2
    assert "not `terraform show -json` output of a plan" in capsys.readouterr().err


def test_drift_reports_an_aws_error_as_such(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    stub.add_client_error("describe_endpoint", "InternalFailure", "try again", 500)
    stub.activate()
    monkeypatch.setattr("sagespec.aws.Aws.client", lambda self, service, **kw: sm)
    assert cli(ops_repo, "drift", "--env", "dev") == 2
    assert "drift dev: DescribeEndpoint failed: InternalFailure: try again" in capsys.readouterr().err


def _targets(*bounds: tuple[str, int, int]) -> Any:
    scaling = boto3.client("application-autoscaling", region_name="us-east-1")
    stub = Stubber(scaling)
    targets = [
        {
            "ServiceNamespace": "sagemaker",
            "ResourceId": resource_id,
            "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
            "MinCapacity": low,
            "MaxCapacity": high,
            "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/x",
            "CreationTime": "2026-01-01T00:00:00Z",
        }
        for resource_id, low, high in bounds
    ]
    stub.add_response("describe_scalable_targets", {"ScalableTargets": targets})
    stub.activate()
    return scaling


def test_a_target_pinning_the_rendered_copies_is_not_drift(ops_repo: Path) -> None:
    rendered = _rendered(ops_repo)
    rendered["endpoints"] = {}
    pinned = ("inference-component/embedder-dev", 2, 2)  # embedder: 2 copies, no autoscaling
    assert drift.autoscaling_drift(_targets(pinned), rendered) == []
    assert drift.autoscaling_drift(_targets(), rendered) == []  # or no target at all
    [found] = drift.autoscaling_drift(_targets(("inference-component/embedder-dev", 1, 4)), rendered)
    assert found.detail == "bounds 1..4, rendered 2..2"


def test_an_adapter_on_another_artifact_or_base_or_deleted_is_drift(ops_repo: Path) -> None:
    from tests.ops.test_verify import ADAPTER_URL, adapter_reply

    rendered = _rendered(ops_repo)
    adapter: dict[str, Any] = {"name": "sql-lora-dev", "base_key": "embedder", "endpoint_key": "cpu-pool"}
    adapter |= {"artifact_url": ADAPTER_URL, "tags": {}}
    rendered["inference_component_adapters"] = {"sql-lora": adapter}
    assert (
        drift.adapter_drift(
            _stubbed_sm(("describe_inference_component", adapter_reply())), "sql-lora", adapter, rendered
        )
        == []
    )
    moved = adapter_reply(url="s3://elsewhere/x.tar.gz")
    moved["Specification"]["BaseInferenceComponentName"] = "other-dev"
    found = drift.adapter_drift(
        _stubbed_sm(("describe_inference_component", moved)), "sql-lora", adapter, rendered
    )
    assert [d.line() for d in found] == [
        "adapter sql-lora-dev (sql-lora): changed: runs on other-dev, rendered embedder-dev",
        f"adapter sql-lora-dev (sql-lora): changed: loads s3://elsewhere/x.tar.gz, rendered {ADAPTER_URL}",
    ]
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    stub.add_client_error(
        "describe_inference_component", "ValidationException", "Could not find inference component", 400
    )
    stub.activate()
    [gone] = drift.adapter_drift(sm, "sql-lora", adapter, rendered)
    assert (gone.what, gone.detail) == (drift.DELETED, "the adapter inference component does not exist")
