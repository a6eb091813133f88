"""`sagespec review` and its base: refs that do not resolve, a missing or invalid base, no git or
repository, and the command as a process (no AWS credentials, no terraform on PATH)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.review.scratch import bigger_change, commit_all, edit, git, review, review_json

SAGESPEC = Path(sys.executable).parent / "sagespec"


@pytest.mark.parametrize("ref", ["nonexistent-ref", "HEAD~99999", "bad..ref", "origin/no-such-branch"])
def test_a_base_ref_that_does_not_resolve_is_a_usage_error(
    scratch: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    code, out, err = review(scratch, capsys, "--base", ref)
    assert code == 2 and out == ""
    assert f"--base {ref!r} does not resolve to a commit" in err and "hint:" in err
    assert ("a range, not a ref" in err) == (".." in ref)


def test_missing_default_base_means_an_empty_base(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(scratch, "branch", "-m", "main", "trunk")  # neither origin/main nor main: a first pull request
    code, doc = review_json(scratch, capsys)
    assert code == 0
    assert doc["base"]["commit"] is None
    assert any("does not exist here" in note for note in doc["notes"])
    assert all(s["status"] == "added" for s in doc["specs"])
    dev = next(e for e in doc["environments"] if e["env"] == "dev")
    assert dev["status"] == "added" and {c["action"] for c in dev["changes"]} == {"create"}


def test_default_base_is_main_without_origin(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = review_json(scratch, capsys)
    assert code == 0 and doc["base"]["ref"] == "main" and doc["base"]["commit"]


def test_base_that_does_not_validate_falls_back_to_its_committed_render(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sagespec import cli

    assert cli.main(["--root", str(scratch), "render", "--all"]) == 0
    path = scratch / "specs" / "models" / "falcon-40b.yaml"
    edit(path, "  owner: research\n", "  owner: research\n  colour: blue\n")  # unknown key: invalid base
    commit_all(scratch, "broken base with committed renders")
    edit(path, "  owner: research\n  colour: blue\n", "  owner: research\n")
    capsys.readouterr()
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    assert prod["base_origin"] == "committed" and prod["status"] == "unchanged"
    assert any("committed envs/prod/rendered.tfvars.json" in note for note in doc["notes"])


def test_not_a_repository_is_a_usage_error(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = review(repo_copy, capsys, "--base", "main")
    assert code == 2 and out == ""
    assert "not inside a git repository" in err and "hint:" in err


def test_missing_git_is_a_usage_error(
    scratch: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = review(scratch, capsys, "--base", "main")
    assert code == 2 and "git is not installed" in err


def test_option_like_base_is_refused(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = review(scratch, capsys, "--base=--output=/tmp/x")
    assert code == 2 and "is not a git ref" in err


def test_runs_as_a_process_with_no_aws_credentials_and_no_terraform(scratch: Path, tmp_path: Path) -> None:
    bigger_change(scratch)
    git_bin = tmp_path / "bin"
    git_bin.mkdir()
    os.symlink(shutil.which("git") or "/usr/bin/git", git_bin / "git")
    env = {
        "PATH": str(git_bin),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LANG": "C.UTF-8",
        "SAGESPEC_CACHE_DIR": str(tmp_path / "cache"),
    }  # no AWS_* at all
    out = tmp_path / "review.json"
    done = subprocess.run(
        [str(SAGESPEC), "review", "--base", "main", "--format", "json", "--out", str(out)],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["monthly_usd"]["delta"] > 0
    assert doc["summary"]["resources"]["replace"] >= 1


def test_project_in_a_subfolder_of_the_repository(
    repo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = tmp_path / "mono"
    shutil.copytree(repo_copy, top / "infra" / "sagespec")
    (top / "README").write_text("a monorepo\n", encoding="utf-8")
    project = top / "infra" / "sagespec"
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "base")
    edit(
        project / "specs" / "models" / "gpt-neo-125m.yaml",
        "instance_type: ml.m5.large",
        "instance_type: ml.m5.xlarge",
    )
    code, doc = review_json(project, capsys, "--base", "main")
    assert code == 0
    assert [(s["name"], s["status"]) for s in doc["specs"]] == [("gpt-neo-125m", "changed")]
