"""The runner and the plan summary on a real Terraform with the offline stand-in for hashicorp/aws:
plan, apply, update, replace and destroy, checked in the local state. Every test runs on both
engines: the terraform on PATH and the bundled Terraform 1.15.5 (with nothing on PATH)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform import engine
from sagespec.terraform.failures import REGISTRY_HINT, TerraformFailed
from sagespec.terraform.plan_summary import PlanSummary, summarize
from sagespec.terraform.runner import TerraformRunner
from sagespec.terraform.standin import mirror
from tests.helpers import engines
from tests.helpers.network import free_port

from .conftest import ACCOUNT

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, params=engines.NAMES, ids=engines.IDS)
def _engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> engine.Engine:
    """Set before terraform_env / mirror_only_env resolve the engine (autouse fixtures come first)."""
    environ = engines.environ_for(request.param, tmp_path_factory.mktemp("no-terraform-bin"))
    found = engines.resolve(request.param, environ)
    engines.apply(monkeypatch, environ)
    return found


ALL = {
    "aws_appautoscaling_target.variant",
    "aws_iam_role.execution",
    "aws_iam_role_policy.read_artifacts",
    "aws_sagemaker_endpoint.this",
    "aws_sagemaker_endpoint_configuration.this",
    "aws_sagemaker_model.this",
    "module.artifact_bucket.aws_s3_bucket.this",
}


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


def state(repo: Path) -> dict[str, dict[str, Any]]:
    """address -> attributes, from the local backend's state file (backend.hcl: ../state/runner.tfstate)."""
    raw = json.loads((repo / "state" / "runner.tfstate").read_text())
    found = {}
    for resource in raw["resources"]:
        if resource["mode"] != "managed":
            continue
        prefix = f"{resource['module']}." if "module" in resource else ""
        for instance in resource["instances"]:
            found[f"{prefix}{resource['type']}.{resource['name']}"] = instance["attributes"]
    return found


def test_plan_apply_update_replace_destroy(
    mini_repo: Path,
    terraform_env: engine.Engine,
    _engine: engine.Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "tf-data"
    runner = TerraformRunner(mini_repo / "terraform", data_dir=data)
    assert terraform_env == _engine
    assert runner.version() == _engine.version and runner.binary == _engine.path
    runner.init(mini_repo / "envs" / "runner" / "backend.hcl")
    assert (data / "terraform.tfstate").is_file()  # TF_DATA_DIR honoured: the backend record is there
    assert not (mini_repo / "terraform" / ".terraform").exists()
    tfvars = mini_repo / "envs" / "runner" / "rendered.tfvars.json"

    # 1. everything is new
    changed, summary = plan(runner, tmp_path / "1.tfplan", tfvars)
    assert changed and dict(summary.counts) == {"create": 7}
    assert {c.address for c in summary.changes} == ALL
    runner.apply(tmp_path / "1.tfplan")
    assert (
        "Apply complete! Resources: 7 added, 0 changed, 0 destroyed." in capsys.readouterr().out
    )  # streamed
    applied = state(mini_repo)  # the local backend from backend.hcl
    assert set(applied) == ALL
    endpoint = applied["aws_sagemaker_endpoint.this"]
    assert endpoint["arn"] == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/runner-runner"
    config = applied["aws_sagemaker_endpoint_configuration.this"]
    assert endpoint["endpoint_config_name"] == config["name"]
    assert config["production_variants"][0]["instance_type"] == "ml.m5.large"
    assert applied["aws_appautoscaling_target.variant"]["resource_id"] == (
        "endpoint/runner-runner/variant/AllTraffic"
    )
    role = applied["aws_iam_role.execution"]
    assert role["arn"] == f"arn:aws:iam::{ACCOUNT}:role/runner-runner-execution"
    assert applied["aws_sagemaker_model.this"]["execution_role_arn"] == role["arn"]

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
    assert "Apply complete! Resources: 0 added, 2 changed, 0 destroyed." in capsys.readouterr().out
    assert state(mini_repo)["module.artifact_bucket.aws_s3_bucket.this"]["tags"]["team"] == "nlp"

    # 4. new instance type: the immutable endpoint config is replaced, created first, and the endpoint
    #    is updated in place to point at it.
    edit_vars(mini_repo, instance_type="ml.g4dn.xlarge")
    changed, summary = plan(runner, tmp_path / "4.tfplan", tfvars)
    assert changed and dict(summary.counts) == {"replace": 1, "update": 1, "no-op": 5}
    replaced = summary.replacements[0]
    assert replaced.address == "aws_sagemaker_endpoint_configuration.this"
    assert replaced.actions == ("create", "delete") and replaced.create_before_destroy
    assert replaced.detail == ("production_variants[0].instance_type", "name")
    assert replaced.action_reason == "replace_because_cannot_update"
    endpoint_change = next(c for c in summary.changes if c.action == "update")
    assert (endpoint_change.address, endpoint_change.detail) == (
        "aws_sagemaker_endpoint.this",
        ("endpoint_config_name",),
    )
    runner.apply(tmp_path / "4.tfplan")
    assert "Apply complete! Resources: 1 added, 1 changed, 1 destroyed." in capsys.readouterr().out
    after = state(mini_repo)
    new_config = after["aws_sagemaker_endpoint_configuration.this"]
    assert (
        new_config["name"] != config["name"]
        and after["aws_sagemaker_endpoint.this"]["endpoint_config_name"] == (new_config["name"])
    )
    assert new_config["production_variants"][0]["instance_type"] == "ml.g4dn.xlarge"

    # 5. destroy everything
    changed, summary = plan(runner, tmp_path / "5.tfplan", tfvars, destroy=True)
    assert changed and dict(summary.counts) == {"destroy": 7}
    assert summary.changes[-1].action == "destroy"
    runner.apply(tmp_path / "5.tfplan")
    assert "Apply complete! Resources: 0 added, 0 changed, 7 destroyed." in capsys.readouterr().out
    assert state(mini_repo) == {}


def test_init_installs_the_stand_in_from_the_mirror_and_terraform_runs_it(
    mini_repo: Path, mirror_only_env: engine.Engine, standin_mirror: mirror.Installation, tmp_path: Path
) -> None:
    """No reattach: `init` installs hashicorp/aws from the filesystem mirror into TF_DATA_DIR and
    records it in the lock file; `plan` starts the plugin through the go-plugin handshake."""
    data = tmp_path / "tf-data"
    runner = TerraformRunner(mini_repo / "terraform", data_dir=data, stream=False)
    runner.init(mini_repo / "envs" / "runner" / "backend.hcl")
    version = standin_mirror.versions["aws"]
    installed = data / "providers" / "registry.terraform.io" / "hashicorp" / "aws" / version
    assert [p.name for p in installed.iterdir()] == [mirror._platform()]
    lock = (mini_repo / "terraform" / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock and f'version     = "{version}"' in lock
    result = runner.plan(tmp_path / "p.tfplan", [mini_repo / "envs" / "runner" / "rendered.tfvars.json"])
    assert result.has_changes
    assert dict(summarize(runner.show_json(tmp_path / "p.tfplan")).counts) == {"create": 7}


def test_init_without_a_reachable_registry_says_so(
    tmp_path: Path, terraform_env: engine.Engine, monkeypatch: pytest.MonkeyPatch
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


def test_plan_errors_become_one_clear_message(tmp_path: Path, terraform_env: engine.Engine) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text('output "x" {\n  value = var.missing\n}\n')
    runner = TerraformRunner(root, data_dir=tmp_path / "data", stream=False)
    runner.init(backend=False)  # no providers needed: works offline
    with pytest.raises(TerraformFailed) as exc:
        runner.plan(tmp_path / "p.tfplan")
    assert exc.value.message == "terraform plan failed (exit 1): Reference to undeclared input variable"
    assert exc.value.hint == "fix the errors above; nothing was changed"
