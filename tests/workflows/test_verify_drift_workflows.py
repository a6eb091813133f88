"""The verify and drift steps docs/workflows.md promises: verify after each env's apply, posted to the
merged pull request; a scheduled, read-only drift check per env that keeps one issue per env."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflows.helpers import WORKFLOWS, load_workflow


@pytest.fixture(scope="module")
def drift() -> dict[str, Any]:
    return load_workflow(WORKFLOWS / "drift.yml")


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s["run"]) for s in job["steps"] if "run" in s)


def test_apply_verifies_and_posts_the_result_to_the_merged_pull_request() -> None:
    job = load_workflow(WORKFLOWS / "apply-environment.yml")["jobs"]["apply"]
    runs = _runs(job)
    assert "--reviewed-sha256" in runs and "sagespec verify" in runs and "--report verify.md" in runs
    assert runs.index("--reviewed-sha256") < runs.index("sagespec verify")  # verify what was applied
    post = next(
        s for s in job["steps"] if s.get("name") == "Post the verify result to the merged pull request"
    )
    assert post["if"].startswith("always()")  # a deploy that did not land is reported too
    script = post["with"]["script"]
    assert "listPullRequestsAssociatedWithCommit" in script and "merged_at" in script
    assert "<!-- sagespec-verify" in script and "updateComment" in script
    assert job["permissions"]["pull-requests"] == "write"
    for caller in load_workflow(WORKFLOWS / "apply.yml")["jobs"].values():
        assert caller["permissions"]["pull-requests"] == "write"  # a called job cannot exceed its caller


def test_drift_runs_on_a_schedule_per_env_with_the_plan_role(drift: dict[str, Any]) -> None:
    assert set(drift["on"]) == {"schedule", "workflow_dispatch"}
    job = drift["jobs"]["drift"]
    assert job["strategy"]["matrix"]["env"] == ["dev", "staging", "prod"]
    aws = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("aws-actions/"))
    assert "SAGESPEC_PLAN_ROLE_ARN" in aws["with"]["role-to-assume"]
    assert "APPLY" not in aws["with"]["role-to-assume"]
    assert job["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}


def test_drift_uses_a_refresh_only_plan_and_keeps_one_issue(drift: dict[str, Any]) -> None:
    job = drift["jobs"]["drift"]
    runs = _runs(job)
    assert "plan -input=false -lock=false -refresh-only" in runs and "show -json" in runs
    assert '--plan-json "${RUNNER_TEMP}/drift.json" --report drift.md' in runs
    script = next(s for s in job["steps"] if "github-script" in str(s.get("uses")))["with"]["script"]
    assert "issues.create" in script and "issues.update" in script and "state: 'closed'" in script
