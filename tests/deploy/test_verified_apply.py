"""`plan` and `apply` apply exactly the verified bytes, under one lock per environment.

Each test is a reported case of issue 9: a swapped plan file, a doctored plan.json, a concurrent
plan, an unreviewed plan in CI, a protected env without --yes, secrets in what is printed.
"""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
from filelock import FileLock

import sagespec.deploy.plan as plan_command
from sagespec import locks
from sagespec.cli import main
from sagespec.terraform import fingerprint, plan_folder, plan_manifest, plan_store

from .conftest import SECRET, applied, plan_json, write_plan


@pytest.fixture(autouse=True)
def render_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture repository has no specs: the render check answers "current"."""
    monkeypatch.setattr(plan_command, "render_is_current", lambda root, env: True)


def sagespec(repo: Path, *args: str) -> int:
    return main(["--root", str(repo), *args])


def manifest(repo: Path, env: str = "dev") -> plan_manifest.Manifest:
    found = plan_manifest.read_manifest(plan_folder.plan_files(repo, env))
    assert found is not None
    return found


def test_plan_keeps_a_private_copy_and_apply_applies_exactly_it(
    repo: Path, fake_tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sagespec(repo, "plan", "--env", "dev") == 0
    files = plan_folder.plan_files(repo, "dev")
    for folder in (files.folder, files.folder.parent, files.folder.parents[1]):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (files.plan, files.plan_json):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not files.written.exists()
    saved = manifest(repo)
    assert saved.plan_sha256 == fingerprint.file_sha256(files.plan)
    assert saved.changes_sha256 == plan_store.changes_sha256(plan_json("create"))
    summary = files.summary.read_text()
    assert plan_store.hash_marker("dev", saved.changes_sha256) in summary
    assert SECRET not in summary and SECRET not in files.manifest.read_text()

    assert sagespec(repo, "apply", "--env", "dev") == 0
    out = capsys.readouterr().out
    assert SECRET not in out
    [record] = applied(fake_tools)
    assert record["sha256"] == saved.plan_sha256
    done = manifest(repo)
    assert done.applied_at and done.applied_plan_sha256 == saved.plan_sha256
    # the files holding secret values in clear are gone; the record stays
    assert not files.plan.exists() and not files.plan_json.exists()
    assert list(files.folder.glob("apply-*")) == []
    assert sagespec(repo, "apply", "--env", "dev") == 2
    assert "already applied" in capsys.readouterr().err


def test_a_swapped_plan_file_is_refused(
    repo: Path, fake_tools: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sagespec(repo, "plan", "--env", "dev") == 0
    files = plan_folder.plan_files(repo, "dev")
    files.plan.write_bytes(write_plan(tmp_path / "destroy.json", "delete").read_bytes())
    assert sagespec(repo, "apply", "--env", "dev") == 2
    assert "is not the one `sagespec plan` wrote" in capsys.readouterr().err
    assert applied(fake_tools) == []


def test_the_summary_comes_from_the_applied_plan_not_plan_json(
    repo: Path, fake_tools: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """plan.json said "No changes" while a destroying plan was applied: the summary now comes from
    `terraform show` of the very copy that is applied."""
    destroy = write_plan(tmp_path / "destroy.json", "delete")
    plan_command_env = {"FAKE_TF_PLAN": str(destroy)}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in plan_command_env.items():
            mp.setenv(key, value)
        assert sagespec(repo, "plan", "--env", "dev") == 0
    files = plan_folder.plan_files(repo, "dev")
    files.plan_json.write_text(json.dumps(plan_json("no-op")))  # doctored: "nothing changes"
    capsys.readouterr()
    assert sagespec(repo, "apply", "--env", "dev") == 0
    out = capsys.readouterr().out
    assert "0 to create, 0 to update, 0 to replace, 1 to destroy" in out
    assert "No changes" not in out


def test_a_plan_replaced_after_the_check_is_not_what_gets_applied(
    repo: Path, fake_tools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sagespec(repo, "plan", "--env", "dev") == 0
    files = plan_folder.plan_files(repo, "dev")
    expected = manifest(repo).plan_sha256
    destroy = write_plan(tmp_path / "destroy.json", "delete")
    monkeypatch.setenv("FAKE_TF_SWAP_ON_SHOW", f"{files.plan}{':'}{destroy}")
    assert sagespec(repo, "apply", "--env", "dev") == 0
    [record] = applied(fake_tools)
    assert record["sha256"] == expected
    assert record["plan"]["resource_changes"][0]["change"]["actions"] == ["create"]


def test_one_plan_or_apply_per_environment(
    repo: Path, fake_tools: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = locks.lock_path(repo, "env-dev")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock)):
        assert sagespec(repo, "plan", "--env", "dev") == 2
        assert "environment dev is locked by another sagespec process" in capsys.readouterr().err
        assert sagespec(repo, "plan", "--env", "qa") == 0  # other environments are not held up
    assert sagespec(repo, "plan", "--env", "dev") == 0
    # While apply runs, a `sagespec plan` of the same env (another process) is refused.
    during = [
        sys.executable,
        "-c",
        "import sys; from sagespec.cli import main; sys.exit(main(sys.argv[1:]))",
        "--root",
        str(repo),
        "plan",
        "--env",
        "dev",
    ]
    monkeypatch.setenv("FAKE_TF_DURING_APPLY", json.dumps(during))
    assert sagespec(repo, "apply", "--env", "dev") == 0
    [record] = applied(fake_tools)
    assert record["during_exit"] == 2
    assert manifest(repo).applied_plan_sha256 == record["sha256"]


def test_apply_refuses_a_plan_other_than_the_reviewed_one(
    repo: Path, fake_tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sagespec(repo, "plan", "--env", "dev") == 0
    reviewed = plan_store.changes_sha256(plan_json("delete"))
    assert sagespec(repo, "apply", "--env", "dev", "--reviewed-sha256", reviewed) == 2
    assert "is not the reviewed" in capsys.readouterr().err
    assert sagespec(repo, "apply", "--env", "dev", "--reviewed-sha256", "nothex") == 2
    assert applied(fake_tools) == []
    same = manifest(repo).changes_sha256
    assert sagespec(repo, "apply", "--env", "dev", "--reviewed-sha256", same) == 0
    assert len(applied(fake_tools)) == 1


def test_the_changes_hash_is_stable_across_replans_and_sees_any_change() -> None:
    again = plan_json("create")
    again["timestamp"] = "2027-01-01T00:00:00Z"
    assert plan_store.changes_sha256(again) == plan_store.changes_sha256(plan_json("create"))
    assert plan_store.changes_sha256(plan_json("create", secret="x")) != plan_store.changes_sha256(
        plan_json("create")
    )


def test_every_protected_environment_needs_yes(
    repo: Path, fake_tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """staging has `policy.protected: true` (not a prod name): apply asked no --yes before."""
    assert sagespec(repo, "plan", "--env", "staging") == 0
    assert "CONFIRM=1" in capsys.readouterr().out
    assert sagespec(repo, "apply", "--env", "staging") == 2
    captured = capsys.readouterr()
    assert "staging is a protected environment" in captured.err
    assert "1 to create" in captured.out  # the summary is shown before the question
    assert applied(fake_tools) == []
    assert sagespec(repo, "apply", "--env", "staging", "--yes") == 0
    assert len(applied(fake_tools)) == 1


def test_render_or_code_changed_since_the_plan_is_refused(
    repo: Path, fake_tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sagespec(repo, "plan", "--env", "dev") == 0
    (repo / "envs" / "dev" / "rendered.tfvars.json").write_text('{"models": {"x": {}}}\n')
    assert sagespec(repo, "apply", "--env", "dev") == 2
    assert "rendered.tfvars.json changed" in capsys.readouterr().err
    assert applied(fake_tools) == []


def test_a_plan_whose_execution_role_lacks_its_conditions_is_refused(
    repo: Path,
    fake_tools: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """checkov passes (the fake says so); our IAM check still fails the plan, and apply refuses it."""
    bad = plan_json("create")
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}}]}
    bad["resource_changes"].append(
        {
            "address": "module.execution_role.aws_iam_role.this",
            "type": "aws_iam_role",
            "change": {"actions": ["create"], "after": {"assume_role_policy": json.dumps(trust)}},
        }
    )
    path = tmp_path / "bad-iam.json"
    path.write_text(json.dumps(bad))
    monkeypatch.setenv("FAKE_TF_PLAN", str(path))
    assert sagespec(repo, "plan", "--env", "dev") == 1
    out = capsys.readouterr().out
    assert "SAGESPEC_IAM module.execution_role.aws_iam_role.this" in out and "aws:SourceArn" in out
    assert "IAM conditions: FAILED" in plan_folder.plan_files(repo, "dev").summary.read_text()
    assert sagespec(repo, "apply", "--env", "dev") == 2
    assert "failed its checks (checkov, IAM conditions, downtime): SAGESPEC_IAM" in capsys.readouterr().err
    assert applied(fake_tools) == []
