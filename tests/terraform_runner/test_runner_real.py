"""The runner and the plan summary on a real Terraform 1.0.3 + hashicorp/aws 3.39.0, against moto."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from sagespec.plan_summary import PlanSummary, summarize
from sagespec.terraform_runner import REGISTRY_HINT, TerraformFailed, TerraformRunner
from tests.helpers.network import free_port

pytestmark = pytest.mark.slow

ALL = {
    "aws_appautoscaling_target.variant",
    "aws_iam_role.execution",
    "aws_iam_role_policy.read_artifacts",
    "aws_sagemaker_endpoint.this",
    "aws_sagemaker_endpoint_configuration.this",
    "aws_sagemaker_model.this",
    "module.artifact_bucket.aws_s3_bucket.this",
}


def client(service: str, moto: str) -> Any:
    return boto3.client(service, endpoint_url=moto, region_name="us-east-1")


def edit_vars(repo: Path, **changes: Any) -> Path:
    path = repo / "envs" / "runner" / "rendered.tfvars.json"
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def plan(
    runner: TerraformRunner, out: Path, var_file: Path, destroy: bool = False
) -> tuple[bool, PlanSummary]:
    result = runner.plan(out, [var_file], destroy=destroy)
    return result.has_changes, summarize(runner.show_json(out))


def test_plan_apply_update_replace_destroy(
    mini_repo: Path, terraform_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moto = terraform_env
    data = tmp_path / "tf-data"
    runner = TerraformRunner(mini_repo / "terraform", data_dir=data)
    assert runner.version() == "1.0.3"
    runner.init(mini_repo / "envs" / "runner" / "backend.hcl")
    assert (data / "providers" / "registry.terraform.io" / "hashicorp" / "aws" / "3.39.0").is_dir()
    assert not (mini_repo / "terraform" / ".terraform").exists()  # TF_DATA_DIR honoured
    tfvars = mini_repo / "envs" / "runner" / "rendered.tfvars.json"

    # 1. everything is new
    changed, summary = plan(runner, tmp_path / "1.tfplan", tfvars)
    assert changed and dict(summary.counts) == {"create": 7}
    assert {c.address for c in summary.changes} == ALL
    runner.apply(tmp_path / "1.tfplan")
    assert (
        "Apply complete! Resources: 7 added, 0 changed, 0 destroyed." in capsys.readouterr().out
    )  # streamed
    sagemaker = client("sagemaker", moto)
    config_name = sagemaker.describe_endpoint(EndpointName="runner-runner")["EndpointConfigName"]
    config = sagemaker.describe_endpoint_config(EndpointConfigName=config_name)
    assert config["ProductionVariants"][0]["InstanceType"] == "ml.m5.large"
    targets = client("application-autoscaling", moto).describe_scalable_targets(ServiceNamespace="sagemaker")
    assert [t["ResourceId"] for t in targets["ScalableTargets"]] == [
        "endpoint/runner-runner/variant/AllTraffic"
    ]
    assert (mini_repo / "state" / "runner.tfstate").is_file()  # the local backend from backend.hcl

    # 2. nothing to do
    changed, summary = plan(runner, tmp_path / "2.tfplan", tfvars)
    assert not changed and not summary.has_changes and dict(summary.counts) == {"no-op": 7}

    # 3. tags only: two updates in place, applied
    edit_vars(mini_repo, tags={"managed-by": "sagespec", "sagespec-env": "runner", "team": "nlp"})
    changed, summary = plan(runner, tmp_path / "3.tfplan", tfvars)
    assert changed and dict(summary.counts) == {"update": 2, "no-op": 5}
    updates = {c.address: c.detail for c in summary.changes}
    assert updates == {
        "aws_sagemaker_endpoint.this": ("tags", "tags_all"),
        "module.artifact_bucket.aws_s3_bucket.this": ("tags", "tags_all"),
    }
    runner.apply(tmp_path / "3.tfplan")
    tagging = client("s3", moto).get_bucket_tagging(Bucket="runner-runner-artifacts")["TagSet"]
    assert {"Key": "team", "Value": "nlp"} in tagging

    # 4. new instance type: the immutable endpoint config is replaced, created first, and the endpoint
    #    is updated in place to point at it. Not applied: moto has no UpdateEndpoint.
    edit_vars(mini_repo, instance_type="ml.g4dn.xlarge")
    changed, summary = plan(runner, tmp_path / "4.tfplan", tfvars)
    assert changed and dict(summary.counts) == {"replace": 1, "update": 1, "no-op": 5}
    replaced = summary.replacements[0]
    assert replaced.address == "aws_sagemaker_endpoint_configuration.this"
    assert replaced.actions == ("create", "delete") and replaced.create_before_destroy
    assert replaced.detail == ("production_variants[0].instance_type", "name")
    assert replaced.action_reason == "replace_because_cannot_update"
    endpoint = next(c for c in summary.changes if c.action == "update")
    assert (endpoint.address, endpoint.detail) == ("aws_sagemaker_endpoint.this", ("endpoint_config_name",))

    # 5. destroy everything
    changed, summary = plan(runner, tmp_path / "5.tfplan", tfvars, destroy=True)
    assert changed and dict(summary.counts) == {"destroy": 7}
    assert summary.changes[-1].action == "destroy"
    runner.apply(tmp_path / "5.tfplan")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert sagemaker.list_models()["Models"] == []
    assert client("s3", moto).list_buckets()["Buckets"] == []


def test_init_without_a_reachable_registry_says_so(
    tmp_path: Path, terraform_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider nobody mirrors, and a network mirror on a closed loopback port: the offline case."""
    config = tmp_path / "terraformrc"
    config.write_text(
        f'provider_installation {{\n  network_mirror {{\n    url = "https://127.0.0.1:{free_port()}/"\n'
        "  }\n}\n"
    )
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(config))
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        'terraform {\n  required_providers {\n    awscc = { source = "hashicorp/awscc" }\n  }\n}\n'
    )
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(root, data_dir=tmp_path / "data", stream=False).init(backend=False)
    assert exc.value.message.startswith(
        "terraform init could not install providers (exit 1): Failed to query available provider packages"
    )
    assert exc.value.hint == REGISTRY_HINT
    assert "connection refused" in exc.value.result.stderr


def test_plan_errors_become_one_clear_message(tmp_path: Path, terraform_env: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text('output "x" {\n  value = var.missing\n}\n')
    runner = TerraformRunner(root, data_dir=tmp_path / "data", stream=False)
    runner.init(backend=False)  # no providers needed: works offline
    with pytest.raises(TerraformFailed) as exc:
        runner.plan(tmp_path / "p.tfplan")
    assert exc.value.message == "terraform plan failed (exit 1): Reference to undeclared input variable"
    assert exc.value.hint == "fix the errors above; nothing was changed"
