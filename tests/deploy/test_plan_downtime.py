"""`sagespec plan` refuses downtime in a protected environment as the review does (E801), and
`sagespec apply` refuses the plan it saved; rollout.allow_downtime in the spec accepts it.

The plan is a Terraform plan JSON of the shape the offline review tests get from real Terraform
(tests/review/test_updates.py): an async endpoint turned real-time, replaced by its trigger.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sagespec.deploy.plan as plan_command
from sagespec.cli import main
from sagespec.terraform import plan_folder

from .conftest import applied

ENDPOINT = 'module.endpoint["m"]'
SPEC = """apiVersion: sagespec/v1
kind: Model
metadata: {{name: m, owner: team}}
spec:
  container: {{framework: pytorch, version: "2.3.0"}}
  weights: {{huggingface: {{model_id: org/m}}}}
  deployment:
    type: realtime
    instance_type: ml.m5.large
{rollout}"""


@pytest.fixture(autouse=True)
def render_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_command, "render_is_current", lambda root, env: True)


def _replacing_plan(env: str) -> dict[str, Any]:
    endpoint = {"name": f"m-{env}", "endpoint_config_name": f"m-{env}-0123abcd"}
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            {
                "address": f"{ENDPOINT}.aws_sagemaker_endpoint.this",
                "module_address": ENDPOINT,
                "mode": "managed",
                "type": "aws_sagemaker_endpoint",
                "name": "this",
                "action_reason": "replace_by_triggers",
                "change": {"actions": ["delete", "create"], "before": endpoint, "after": endpoint},
            },
            {
                "address": f"{ENDPOINT}.terraform_data.invocation",
                "module_address": ENDPOINT,
                "mode": "managed",
                "type": "terraform_data",
                "name": "invocation",
                "change": {"actions": ["update"], "before": {"input": "async"}, "after": {"input": "sync"}},
            },
        ],
    }


def _setup(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, rollout: str = "") -> None:
    (repo / "specs" / "models").mkdir(parents=True, exist_ok=True)
    (repo / "specs" / "models" / "m.yaml").write_text(SPEC.format(rollout=rollout), encoding="utf-8")
    path = tmp_path / f"replace-{env}.json"
    path.write_text(json.dumps(_replacing_plan(env)), encoding="utf-8")
    monkeypatch.setenv("FAKE_TF_PLAN", str(path))


def test_plan_refuses_downtime_in_a_protected_env_and_apply_refuses_the_plan(
    repo: Path,
    fake_tools: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _setup(repo, tmp_path, monkeypatch, "staging")  # staging has policy.protected: true
    assert main(["--root", str(repo), "plan", "--env", "staging"]) == 1
    out = capsys.readouterr().out
    assert "specs/models/m.yaml:8:11: error[E801]" in out  # the value of deployment.type
    assert "DOWNTIME" in out and "rollout.allow_downtime: true" in out
    summary = plan_folder.plan_files(repo, "staging").summary.read_text(encoding="utf-8")
    assert "Downtime (E801): FAILED" in summary
    assert main(["--root", str(repo), "apply", "--env", "staging", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "failed its checks (checkov, IAM conditions, downtime): E801 specs/models/m.yaml:8" in err
    assert applied(fake_tools) == []


def test_allow_downtime_lets_the_protected_plan_through(
    repo: Path,
    fake_tools: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _setup(repo, tmp_path, monkeypatch, "staging", "    rollout: {allow_downtime: true}\n")
    assert main(["--root", str(repo), "plan", "--env", "staging"]) == 0
    assert "Downtime: 0 refused" in capsys.readouterr().out
    assert main(["--root", str(repo), "apply", "--env", "staging", "--yes"]) == 0
    assert len(applied(fake_tools)) == 1


def test_an_unprotected_env_plans_the_replacement_without_refusal(
    repo: Path,
    fake_tools: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _setup(repo, tmp_path, monkeypatch, "dev")
    assert main(["--root", str(repo), "plan", "--env", "dev"]) == 0
    assert "E801" not in capsys.readouterr().out
