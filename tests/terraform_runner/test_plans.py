"""Saved-plan bookkeeping and the checkov report, without Terraform."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from sagespec.errors import SagespecError
from sagespec.terraform import checkov, fingerprint, plan_folder, plan_manifest

from .conftest import DATA, ROOT_FIXTURE


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "terraform").mkdir(parents=True)
    (root / "terraform" / "main.tf").write_text('resource "x" "y" {}\n')
    (root / "modules" / "m").mkdir(parents=True)
    (root / "modules" / "m" / "main.tf").write_text("# module\n")
    (root / "envs" / "dev").mkdir(parents=True)
    (root / "envs" / "dev" / "env.yaml").write_text("kind: Environment\n")
    (root / "envs" / "dev" / "rendered.tfvars.json").write_text("{}\n")
    (root / "envs" / "dev" / "backend.hcl").write_text('key = "dev"\n')
    (root / "specs").mkdir()
    return root


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


# ---- checkov ------------------------------------------------------------------------------------------


def recorded() -> object:
    """A real checkov 3.2.459 report on the fixture's plan, with CKV_AWS_21's skip removed and
    CKV_AWS_145's reason removed (trimmed to the fields sagespec reads)."""
    return json.loads((DATA / "checkov-report.json").read_text())


def test_parse_real_report(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    report = checkov.parse_checkov(recorded(), root / "terraform", root)
    assert report.version == "3.2.459" and report.passed == 21
    assert [(c.id, c.resource, c.file, c.line) for c in report.failed] == [
        ("CKV_AWS_21", "module.artifact_bucket.aws_s3_bucket.this", "modules/artifact-bucket/main.tf", 1)
    ]
    assert [c.id for c in report.unexplained] == ["CKV_AWS_145"]
    skipped = {c.id: c for c in report.skipped}
    assert sorted(skipped) == [
        "CKV2_AWS_6",
        "CKV2_AWS_62",
        "CKV_AWS_144",
        "CKV_AWS_370",
        "CKV_AWS_98",
    ]  # deduped
    assert skipped["CKV_AWS_98"].reason == "test fixture: moto has no KMS for endpoint volumes here"
    assert skipped["CKV_AWS_98"].file == "terraform/main.tf"
    assert not report.ok and [c.id for c in report.failing()] == ["CKV_AWS_21", "CKV_AWS_145"]
    text = checkov.format_checks(report)
    assert text.splitlines()[0] == "checkov 3.2.459: 21 passed, 1 failed, 6 skipped"
    assert (
        "  FAILED CKV_AWS_21 module.artifact_bucket.aws_s3_bucket.this (modules/artifact-bucket/main.tf:1): "
        "Ensure all data stored in the S3 bucket have versioning enabled"
    ) in text.splitlines()
    assert "SKIPPED WITHOUT A REASON (counts as failed) CKV_AWS_145" in text


def test_parse_summary_only_and_lists(tmp_path: Path) -> None:
    empty = {
        "passed": 0,
        "failed": 0,
        "skipped": 0,
        "parsing_errors": 0,
        "resource_count": 0,
        "checkov_version": "3.2.459",
    }
    report = checkov.parse_checkov(empty, tmp_path, tmp_path)
    assert report.ok and report.passed == 0 and report.version == "3.2.459"
    other = {"check_type": "secrets", "results": {"failed_checks": [{"check_id": "CKV_SECRET_1"}]}}
    both = checkov.parse_checkov([other, recorded()], tmp_path / "terraform", tmp_path)
    assert [c.id for c in both.failed] == ["CKV_AWS_21"]


FAKE = """#!{python}
import json, os, sys
if os.environ.get("FAKE_RECORD"):
    env = {{k: os.environ.get(k) for k in ("SKIP_PACKAGE_UPDATE_CHECK", "BC_SKIP_MAPPING")}}
    json.dump({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": env}}, open(os.environ["FAKE_RECORD"], "w"))
sys.stderr.write(os.environ.get("FAKE_STDERR", ""))
sys.stdout.write(os.environ.get("FAKE_STDOUT", ""))
sys.exit(1)
"""


@pytest.fixture
def checkov_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "checkov"
    script.write_text(FAKE.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("SAGESPEC_CHECKOV", str(script))
    return script


def test_run_checkov_writes_the_report(
    repo: Path, checkov_bin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_STDOUT", (DATA / "checkov-report.json").read_text())
    out = repo / ".sagespec" / "checkov.json"
    report = checkov.run_checkov(repo / "plan.json", repo / "terraform", repo, out)
    assert [c.id for c in report.failed] == ["CKV_AWS_21"]  # exit 1 with a report is not a crash
    assert json.loads(out.read_text()) == recorded()


def test_checkov_crash_with_the_hcl2_conflict_says_how_to_fix(
    repo: Path, checkov_bin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "FAKE_STDERR", "Traceback ...\nImportError: cannot import name 'START_LINE' from 'hcl2' (x)\n"
    )
    with pytest.raises(SagespecError) as exc:
        checkov.run_checkov(repo / "plan.json", repo / "terraform", repo, repo / "c.json")
    assert exc.value.message.startswith("checkov cannot start: Traceback ... | ImportError")
    assert "bc-python-hcl2==0.4.3" in str(exc.value.hint) and "checkov-hcl2" in str(exc.value.hint)
    monkeypatch.setenv("FAKE_STDERR", "Segmentation fault\n")
    with pytest.raises(SagespecError, match="checkov printed no JSON report: Segmentation fault"):
        checkov.run_checkov(repo / "plan.json", repo / "terraform", repo, repo / "c.json")


def test_checkov_command_uses_the_hcl2_shim_of_this_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = tmp_path / "venv"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "checkov").write_text("")
    monkeypatch.setattr(sys, "prefix", str(prefix))
    assert checkov.checkov_command({"PATH": ""}) == (str(prefix / "bin" / "checkov"), {})
    (prefix / "checkov-hcl2").mkdir()
    _, extra = checkov.checkov_command({"PATH": "", "PYTHONPATH": "/mine"})
    assert extra == {"PYTHONPATH": f"{prefix / 'checkov-hcl2'}:/mine"}
    with pytest.raises(SagespecError, match="SAGESPEC_CHECKOV=nope: no such executable"):
        checkov.checkov_command({"PATH": "", "SAGESPEC_CHECKOV": "nope"})
    (prefix / "bin" / "checkov").unlink()
    with pytest.raises(SagespecError, match="checkov not found"):
        checkov.checkov_command({"PATH": str(tmp_path)})


def test_checkov_arguments(
    repo: Path, checkov_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "record.json"
    monkeypatch.setenv("FAKE_RECORD", str(record))
    monkeypatch.setenv("FAKE_STDOUT", '{"passed": 0, "failed": 0, "checkov_version": "x"}')
    checkov.run_checkov(repo / "plan.json", repo / "terraform", repo, repo / "c.json")
    seen = json.loads(record.read_text())
    assert seen["argv"] == [
        "-f",
        str(repo / "plan.json"),
        "--framework",
        "terraform_plan",
        "-o",
        "json",
        "--skip-download",
        "--repo-root-for-plan-enrichment",
        str(repo / "terraform"),
    ]
    assert seen["cwd"] == str(repo)
    assert seen["env"] == {"SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}  # stays offline
