"""The checkov step of `make plan`, without Terraform: reading its report, running it with this
venv's hcl2 shim, and what a crash says."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sagespec.errors import SagespecError
from sagespec.terraform import checkov

from .conftest import DATA


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
