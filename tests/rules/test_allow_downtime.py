"""`rollout.allow_downtime`: accepted on every deployment type (and on pools), alone or beside a
rollout strategy, never rendered; a rollout that sets anything else still needs its strategy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.repo import findings_json, fixture_repo, run_cli

HEAD = """apiVersion: sagespec/v1
kind: Model
metadata: {{name: {name}, owner: nlp}}
spec:
  container: {{framework: tei, version: "1.8.2"}}
  weights:
    huggingface: {{model_id: org/model}}
  deployment:
{deployment}"""
REALTIME = "    type: realtime\n    instance_type: ml.m5.large\n"
SERVERLESS = "    type: serverless\n    memory_mb: 2048\n    max_concurrency: 2\n"


def _repo(tmp_path: Path, name: str, deployment: str) -> tuple[Path, str]:
    root = fixture_repo(tmp_path / "repo")
    rel = f"specs/models/{name}.yaml"
    (root / rel).write_text(HEAD.format(name=name, deployment=deployment))
    return root, rel


def _findings(root: Path, rel: str) -> list[dict[str, Any]]:
    _, findings = findings_json(root)
    return [f for f in findings if f["file"] == rel]


def _rendered(root: Path, name: str) -> dict[str, Any]:
    assert run_cli("--root", str(root), "render", "--env", "dev")[0] == 0
    rendered = json.loads((root / "envs/dev/rendered.tfvars.json").read_text())
    return rendered["endpoints"][name]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "deployment",
    [
        REALTIME + "    rollout: {allow_downtime: true}\n",
        SERVERLESS + "    rollout: {allow_downtime: true}\n",
    ],
    ids=["realtime", "serverless"],
)
def test_allow_downtime_alone_validates_and_renders_no_rollout(tmp_path: Path, deployment: str) -> None:
    root, rel = _repo(tmp_path, "quiet", deployment)
    assert _findings(root, rel) == []
    assert _rendered(root, "quiet")["rollout"] is None


def test_allow_downtime_beside_a_strategy_renders_only_the_strategy(tmp_path: Path) -> None:
    rollout = "    rollout: {strategy: linear, linear_step_percent: 50, allow_downtime: true}\n"
    root, rel = _repo(tmp_path, "linear", REALTIME + rollout)
    assert _findings(root, rel) == []
    rendered = _rendered(root, "linear")["rollout"]
    assert rendered["traffic_routing"] == "LINEAR" and "allow_downtime" not in json.dumps(rendered)


def test_a_rollout_without_strategy_still_needs_one(tmp_path: Path) -> None:
    root, rel = _repo(tmp_path, "nostrat", REALTIME + "    rollout: {wait_s: 60, allow_downtime: true}\n")
    assert [(f["code"], f["path"]) for f in _findings(root, rel)] == [("E203", "spec.deployment.rollout")]


def test_allow_downtime_is_a_boolean(tmp_path: Path) -> None:
    root, rel = _repo(tmp_path, "stringly", REALTIME + '    rollout: {allow_downtime: "yes"}\n')
    found = _findings(root, rel)
    assert [(f["code"], f["path"]) for f in found] == [("E202", "spec.deployment.rollout.allow_downtime")]


def test_serverless_takes_no_rollout_strategy(tmp_path: Path) -> None:
    root, rel = _repo(tmp_path, "sls", SERVERLESS + "    rollout: {strategy: canary, allow_downtime: true}\n")
    found = _findings(root, rel)
    assert [(f["code"], f["path"]) for f in found] == [("E201", "spec.deployment.rollout.strategy")]


def test_a_pool_may_allow_downtime(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    pools = sorted((root / "specs").rglob("*.yaml"))
    pool = next(p for p in pools if "kind: Endpoint" in p.read_text())
    pool.write_text(pool.read_text().replace("\nspec:\n", "\nspec:\n  rollout: {allow_downtime: true}\n", 1))
    rel = pool.relative_to(root).as_posix()
    assert _findings(root, rel) == []
