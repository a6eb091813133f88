"""`sagespec plan` and `sagespec apply` end to end: the test-only root, real Terraform, the offline
stand-in for hashicorp/aws (what was applied is read back from the local state).

checkov is a stand-in here (fake_checkov) so each case costs one Terraform run, not a 15 s checkov
start; test_real_checkov_on_a_real_plan runs the real one on a real plan.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import sagespec.deploy.plan as plan_command
from sagespec.cli import main
from sagespec.errors import SagespecError
from sagespec.terraform import checkov, fingerprint, plan_folder, plan_manifest
from sagespec.terraform.engine import Engine
from sagespec.terraform.runner import TerraformRunner

from .conftest import DATA

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def render_current(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """The fixture is no valid sagespec repository: the render check answers "current" and logs calls."""
    calls: list[tuple[Path, str]] = []

    def is_current(root: Path, env: str) -> bool:
        calls.append((root, env))
        return True

    monkeypatch.setattr(plan_command, "render_is_current", is_current)
    return calls


def sagespec(repo: Path, *args: str) -> int:
    return main(["--root", str(repo), *args])


def endpoints(repo: Path, env: str = "runner") -> list[str]:
    """The SageMaker endpoints the env's local state holds (backend.hcl: ../state/<env>.tfstate)."""
    path = repo / "state" / f"{env}.tfstate"
    if not path.is_file():
        return []
    resources = json.loads(path.read_text())["resources"]
    return sorted(
        i["attributes"]["name"]
        for r in resources
        if r["mode"] == "managed" and r["type"] == "aws_sagemaker_endpoint"
        for i in r["instances"]
    )


def manifest(repo: Path, env: str = "runner") -> plan_manifest.Manifest:
    found = plan_manifest.read_manifest(plan_folder.plan_files(repo, env))
    assert found is not None
    return found


def edit_tags(repo: Path, env: str = "runner", **tags: str) -> None:
    path = repo / "envs" / env / "rendered.tfvars.json"
    data: dict[str, Any] = json.loads(path.read_text())
    data["tags"].update(tags)
    path.write_text(json.dumps(data, indent=2) + "\n")


def test_plan_apply_and_every_refusal(
    mini_repo: Path,
    terraform_env: Engine,
    fake_checkov: Path,
    render_current: list[tuple[Path, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo = mini_repo
    files = plan_folder.plan_files(repo, "runner")

    assert sagespec(repo, "apply", "--env", "runner") == 2
    assert "error: no saved plan for runner" in capsys.readouterr().err

    assert sagespec(repo, "plan", "--env", "runner") == 0
    out = capsys.readouterr().out
    assert render_current == [(repo, "runner")]
    assert "Plan: 7 to create, 0 to update, 0 to replace, 0 to destroy." in out
    assert "checkov fake: 3 passed, 0 failed, 0 skipped" in out
    assert "apply exactly this plan with `make apply ENV=runner`" in out
    assert {p.name for p in files.folder.iterdir()} == {
        "plan.tfplan",
        "plan.json",
        "checkov.json",
        "summary.md",
        "manifest.json",
    }
    assert (files.plan.stat().st_mode & 0o777) == 0o600
    saved = manifest(repo)
    assert (saved.has_changes, dict(saved.counts), saved.checks_passed) == (True, {"create": 7}, True)
    assert saved.terraform == f"{terraform_env.version} ({terraform_env.path})"
    assert saved.plan_sha256 == fingerprint.file_sha256(files.plan)
    assert "| create | `module.artifact_bucket.aws_s3_bucket.this` |  |" in files.summary.read_text()
    assert json.loads(fake_checkov.read_text()) == [
        "-f",
        str(files.plan_json),
        "--framework",
        "terraform_plan",
        "-o",
        "json",
        "--skip-download",
        "--repo-root-for-plan-enrichment",
        str(repo / "terraform"),
    ]
    assert (repo / ".sagespec" / "terraform" / "runner" / "terraform.tfstate").is_file()  # its data dir
    assert endpoints(repo) == []  # planning changed nothing

    assert sagespec(repo, "apply", "--env", "runner") == 0
    out = capsys.readouterr().out
    assert "Apply complete! Resources: 7 added, 0 changed, 0 destroyed." in out
    assert endpoints(repo) == ["runner-runner"]
    assert manifest(repo).applied_at is not None and not files.plan.exists()

    assert sagespec(repo, "apply", "--env", "runner") == 2
    assert "was already applied at" in capsys.readouterr().err

    # A change to the rendered file after the plan: refused, nothing applied.
    assert sagespec(repo, "plan", "--env", "runner") == 0
    assert "No changes: the infrastructure matches the configuration." in capsys.readouterr().out
    edit_tags(repo, team="nlp")
    assert sagespec(repo, "apply", "--env", "runner") == 2
    err = capsys.readouterr().err
    assert "refusing to apply the plan for runner made at" in err
    assert "envs/runner/rendered.tfvars.json changed since then" in err
    assert "hint: run `make plan ENV=runner` again and review the new plan" in err

    # A change to a module after the plan: refused.
    assert sagespec(repo, "plan", "--env", "runner") == 0
    assert "update  module.artifact_bucket.aws_s3_bucket.this" in capsys.readouterr().out
    with (repo / "modules" / "artifact-bucket" / "outputs.tf").open("a") as handle:
        handle.write('\noutput "bucket_id" {\n  value = aws_s3_bucket.this.id\n}\n')
    assert sagespec(repo, "apply", "--env", "runner") == 2
    assert "the Terraform code (terraform/, modules/) changed" in capsys.readouterr().err

    # A replaced plan file: refused.
    assert sagespec(repo, "plan", "--env", "runner") == 0
    files.plan.write_bytes(files.plan.read_bytes() + b"\0")
    assert sagespec(repo, "apply", "--env", "runner") == 2
    assert "is not the one `sagespec plan` wrote" in capsys.readouterr().err
    assert endpoints(repo) == ["runner-runner"]


def test_production_needs_yes(
    mini_repo: Path, terraform_env: Engine, fake_checkov: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = mini_repo
    shutil.copytree(repo / "envs" / "runner", repo / "envs" / "prod")
    (repo / "envs" / "prod" / "backend.hcl").write_text('path = "../state/prod.tfstate"\n')
    rendered = repo / "envs" / "prod" / "rendered.tfvars.json"
    rendered.write_text(rendered.read_text().replace('"runner"', '"prod"'))

    assert sagespec(repo, "plan", "--env", "prod") == 0
    assert "`make apply ENV=prod` CONFIRM=1" in capsys.readouterr().out
    assert sagespec(repo, "apply", "--env", "prod") == 2
    out, err = capsys.readouterr()
    assert "Plan: 7 to create" in out  # the plan is shown before asking
    assert "error: prod is a protected environment: applying needs confirmation" in err
    assert "make apply ENV=prod CONFIRM=1" in err
    assert endpoints(repo, "prod") == [] and manifest(repo, "prod").applied_at is None

    assert sagespec(repo, "apply", "--env", "prod", "--yes") == 0
    assert endpoints(repo, "prod") == ["runner-prod"]
    assert not (repo / "state" / "runner.tfstate").exists()  # prod's own state


def test_failing_checks_exit_1_and_apply_refuses(
    mini_repo: Path,
    terraform_env: Engine,
    fake_checkov: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FAKE_CHECKOV_REPORT", str(DATA / "checkov-report.json"))
    monkeypatch.setenv("FAKE_CHECKOV_EXIT", "1")
    assert sagespec(mini_repo, "plan", "--env", "runner") == 1
    out = capsys.readouterr().out
    assert (
        "FAILED CKV_AWS_21 module.artifact_bucket.aws_s3_bucket.this (modules/artifact-bucket/main.tf:1)"
        in out
    )
    assert "SKIPPED WITHOUT A REASON (counts as failed) CKV_AWS_145" in out
    assert "2 failing check(s): `sagespec apply` will refuse this plan" in out
    saved = manifest(mini_repo)
    assert not saved.checks_passed
    assert saved.checks_failed == (
        "CKV_AWS_21 module.artifact_bucket.aws_s3_bucket.this",
        "CKV_AWS_145 module.artifact_bucket.aws_s3_bucket.this",
    )
    assert "#### checkov: FAILED" in plan_folder.plan_files(mini_repo, "runner").summary.read_text()
    assert sagespec(mini_repo, "apply", "--env", "runner") == 2
    assert "the saved plan for runner failed its checks (checkov, IAM conditions, downtime): CKV_AWS_21" in (
        capsys.readouterr().err
    )
    assert endpoints(mini_repo) == []


def test_terraform_dir_option(
    mini_repo: Path,
    terraform_env: Engine,
    fake_checkov: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--terraform-dir: a root module outside the repository; the code hash follows it."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(mini_repo / "terraform", elsewhere / "terraform")
    shutil.copytree(mini_repo / "modules", elsewhere / "modules")
    shutil.rmtree(mini_repo / "terraform")
    option = ["--terraform-dir", str(elsewhere / "terraform")]
    assert sagespec(mini_repo, "plan", "--env", "runner", *option) == 0
    assert "root module ../elsewhere/terraform/" in capsys.readouterr().out
    assert sagespec(mini_repo, "apply", "--env", "runner") == 2  # default folder: none there
    assert "holds no Terraform root module" in capsys.readouterr().err
    assert sagespec(mini_repo, "apply", "--env", "runner", *option) == 0
    assert endpoints(elsewhere) == ["runner-runner"]  # backend.hcl's path is relative to the root module


def test_stale_render_stops_before_terraform(
    mini_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plan_command, "render_is_current", lambda root, env: False)
    monkeypatch.setenv("SAGESPEC_TERRAFORM", "/nowhere/terraform")  # never reached
    assert sagespec(mini_repo, "plan", "--env", "runner") == 2
    err = capsys.readouterr().err
    assert "envs/runner/rendered.tfvars.json is not current" in err
    assert "make render ENV=runner" in err
    assert not (mini_repo / ".sagespec" / "plans").exists()  # only the env lock file was made


def test_unknown_env_and_missing_terraform(
    mini_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sagespec(mini_repo, "plan", "--env", "qa") == 2
    assert "unknown environment 'qa'" in capsys.readouterr().err
    monkeypatch.setenv("SAGESPEC_TERRAFORM", "/nowhere/terraform")
    assert sagespec(mini_repo, "plan", "--env", "runner") == 2
    assert "SAGESPEC_TERRAFORM=/nowhere/terraform: no such executable" in capsys.readouterr().err


def test_real_checkov_on_a_real_plan(mini_repo: Path, terraform_env: Engine, tmp_path: Path) -> None:
    """checkov 3 on the fixture's real plan JSON: skips with reasons count, reasonless ones do not."""
    bucket = mini_repo / "modules" / "artifact-bucket" / "main.tf"
    text = bucket.read_text()
    text = "\n".join(line for line in text.splitlines() if "CKV_AWS_21:" not in line)  # now fails
    text = text.replace(
        "#checkov:skip=CKV_AWS_145:test fixture: SSE-S3 is enough here", "#checkov:skip=CKV_AWS_145"
    )
    bucket.write_text(text + "\n")
    runner = TerraformRunner(mini_repo / "terraform", data_dir=tmp_path / "data", stream=False)
    runner.init(mini_repo / "envs" / "runner" / "backend.hcl")
    runner.plan(tmp_path / "p.tfplan", [mini_repo / "envs" / "runner" / "rendered.tfvars.json"])
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(json.dumps(runner.show_json(tmp_path / "p.tfplan")))
    try:
        report = checkov.run_checkov(plan_json, mini_repo / "terraform", mini_repo, tmp_path / "checkov.json")
    except SagespecError as exc:
        pytest.fail(f"checkov does not run here: {exc}")
    assert [(c.id, c.file) for c in report.failed] == [("CKV_AWS_21", "modules/artifact-bucket/main.tf")]
    assert [c.id for c in report.unexplained] == ["CKV_AWS_145"]
    reasons = {c.id: c.reason for c in report.skipped}
    assert reasons["CKV_AWS_98"] == "test fixture: no KMS key for endpoint volumes here"
    assert reasons["CKV_AWS_144"] == "test fixture: no second region to replicate to"
    assert report.passed > 10 and not report.ok
