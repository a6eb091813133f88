"""Saved-plan bookkeeping without Terraform: the code fingerprint, the plan folder and the manifest
(the checkov report: test_checkov.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sagespec.errors import SagespecError
from sagespec.terraform import fingerprint, plan_folder, plan_manifest

from .conftest import ROOT_FIXTURE

# ---- code hash and inputs -------------------------------------------------------------------------


def code(root: Path) -> str:
    return fingerprint.code_sha256(fingerprint.code_folders(root, root / "terraform"), root)


def test_code_hash_ignores_tool_files_and_docs(repo: Path) -> None:
    before = code(repo)
    (repo / "terraform" / ".terraform" / "providers").mkdir(parents=True)
    (repo / "terraform" / ".terraform" / "providers" / "x").write_text("binary")
    (repo / "terraform" / ".terraform.lock.hcl").write_text("locks")
    (repo / "terraform" / "terraform.tfstate").write_text("{}")
    (repo / "modules" / "m" / "README.md").write_text("# docs")
    assert code(repo) == before


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: (r / "terraform" / "main.tf").write_text('resource "x" "z" {}\n'),
        lambda r: (r / "modules" / "m" / "main.tf").write_text("# changed\n"),
        lambda r: (r / "modules" / "m" / "policy.json").write_text("{}"),
        lambda r: (r / "modules" / "m" / "main.tf").rename(r / "modules" / "m" / "other.tf"),
    ],
)
def test_code_hash_sees_code_changes(repo: Path, edit: object) -> None:
    before = code(repo)
    edit(repo)  # type: ignore[operator]
    assert code(repo) != before


def test_changed_inputs_say_what_changed(repo: Path) -> None:
    saved = fingerprint.current_inputs(repo, "dev", repo / "terraform")
    assert fingerprint.changed_inputs(saved, saved, "dev") == []
    (repo / "envs" / "dev" / "rendered.tfvars.json").write_text('{"a": 1}\n')
    (repo / "envs" / "dev" / "backend.hcl").write_text('key = "other"\n')
    (repo / "modules" / "m" / "main.tf").write_text("# changed\n")
    assert fingerprint.changed_inputs(
        saved, fingerprint.current_inputs(repo, "dev", repo / "terraform"), "dev"
    ) == [
        "envs/dev/rendered.tfvars.json changed",
        "envs/dev/backend.hcl changed",
        "the Terraform code (terraform/, modules/) changed",
    ]
    moved = replace(saved, terraform_dir="elsewhere")
    assert fingerprint.changed_inputs(moved, saved, "dev") == [
        "the Terraform folder is now terraform, was elsewhere"
    ]


# ---- environment and folders ------------------------------------------------------------------------


def test_env_files(repo: Path) -> None:
    assert plan_folder.env_files(repo, "dev") == (
        repo / "envs/dev/rendered.tfvars.json",
        repo / "envs/dev/backend.hcl",
    )
    with pytest.raises(SagespecError) as exc:
        plan_folder.env_files(repo, "prod")
    assert exc.value.message == "unknown environment 'prod': no envs/prod/env.yaml"
    assert exc.value.hint == "known environments: dev"
    (repo / "envs" / "dev" / "backend.hcl").unlink()
    with pytest.raises(SagespecError, match=r"backend\.hcl does not exist"):
        plan_folder.env_files(repo, "dev")
    (repo / "envs" / "dev" / "rendered.tfvars.json").unlink()
    with pytest.raises(SagespecError, match="make render ENV=dev"):
        plan_folder.env_files(repo, "dev")


def test_terraform_dir_option_env_var_and_default(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAGESPEC_TERRAFORM_DIR", raising=False)
    assert plan_folder.terraform_dir(repo, None) == repo / "terraform"
    monkeypatch.setenv("SAGESPEC_TERRAFORM_DIR", str(ROOT_FIXTURE / "terraform"))
    assert plan_folder.terraform_dir(repo, None) == ROOT_FIXTURE / "terraform"
    assert plan_folder.terraform_dir(repo, str(repo / "terraform")) == repo / "terraform"
    with pytest.raises(SagespecError, match="holds no Terraform root module"):
        plan_folder.terraform_dir(repo, str(tmp_path))


def test_protected_environments() -> None:
    from sagespec.spec.protection import is_protected

    assert is_protected("prod", None) and is_protected("production", {"protected": False})
    assert is_protected("staging", {"protected": True})
    assert not is_protected("dev", {}) and not is_protected("prod-eu", None)


# ---- manifest ---------------------------------------------------------------------------------------


def manifest(repo: Path) -> plan_manifest.Manifest:
    return plan_manifest.Manifest(
        env="dev",
        created_at="2026-01-01T00:00:00+00:00",
        terraform="1.0.3 (/bin/tf)",
        plan_sha256="ab" * 32,
        changes_sha256="cd" * 32,
        inputs=fingerprint.current_inputs(repo, "dev", repo / "terraform"),
        has_changes=True,
        counts={"create": 2},
        checks_passed=False,
        checks_failed=("CKV_AWS_21 aws_s3_bucket.b",),
    )


def test_manifest_round_trip(repo: Path) -> None:
    files = plan_folder.plan_files(repo, "dev")
    assert files.folder == repo / ".sagespec" / "plans" / "dev"
    assert plan_manifest.read_manifest(files) is None
    plan_manifest.write_manifest(files, manifest(repo))
    assert plan_manifest.read_manifest(files) == manifest(repo)


@pytest.mark.parametrize("text", ["not json", '{"version": 1}', '{"version": 99, "env": "dev"}', "[]"])
def test_damaged_manifest_is_an_error(repo: Path, text: str) -> None:
    files = plan_folder.plan_files(repo, "dev")
    files.folder.mkdir(parents=True)
    files.manifest.write_text(text)
    with pytest.raises(SagespecError, match="is damaged"):
        plan_manifest.read_manifest(files)


def test_reset_removes_every_file_of_the_previous_plan(repo: Path) -> None:
    files = plan_folder.plan_files(repo, "dev")
    files.folder.mkdir(parents=True)
    for path in (files.plan, files.plan_json, files.checkov, files.summary, files.manifest):
        path.write_text("old")
    plan_folder.reset(files)
    assert list(files.folder.iterdir()) == []
