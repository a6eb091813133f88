"""The offline plan of a change is cached by everything it depends on: the same review twice plans once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sagespec import pipeline
from sagespec.bench import run as bench
from sagespec.spec.project import load_project
from sagespec.terraform import offline
from sagespec.terraform.offline import OfflinePlanner
from sagespec.terraform.runner import TerraformRunner


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    root = bench.generate(tmp_path_factory.mktemp("bench") / "repo", 4)
    base = pipeline.check(load_project(root)).rendered["prod"]
    head = json.loads(json.dumps(base))
    model = next(iter(head["models"]))
    head["models"][model]["environment"]["EXTRA"] = "1"
    return root, base, head


@pytest.fixture
def plans_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Terraform commands run, in order (the real runner still runs them)."""
    seen: list[str] = []
    real = TerraformRunner.run

    def counting(self: TerraformRunner, command: str, *args: Any, **options: Any) -> Any:
        seen.append(command)
        return real(self, command, *args, **options)

    monkeypatch.setattr(TerraformRunner, "run", counting)
    return seen


def _changes(plan: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return sorted((rc["address"], rc["change"]["actions"]) for rc in plan["resource_changes"])


def test_the_same_change_is_planned_once(
    renders: tuple[Path, dict[str, Any], dict[str, Any]], tmp_path: Path, plans_run: list[str]
) -> None:
    root, base, head = renders
    with OfflinePlanner(tmp_path / "cache") as planner:
        first = planner.plan_env("prod", root, root, base, head)
        assert plans_run.count("plan") == 1
        second = planner.plan_env("prod", root, root, base, head)
    assert plans_run.count("plan") == 1, plans_run
    assert second.plan == first.plan and second.scope == first.scope
    assert any(actions != ["no-op"] for _, actions in _changes(first.plan))


def test_another_render_or_other_stand_in_code_plans_again(
    renders: tuple[Path, dict[str, Any], dict[str, Any]],
    tmp_path: Path,
    plans_run: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, base, head = renders
    other = json.loads(json.dumps(head))
    other["models"][next(iter(other["models"]))]["environment"]["EXTRA"] = "2"
    with OfflinePlanner(tmp_path / "cache") as planner:
        planner.plan_env("prod", root, root, base, head)
        planner.plan_env("prod", root, root, base, other)
        assert plans_run.count("plan") == 2
        monkeypatch.setattr(offline, "_own_code_digest", lambda: "edited stand-ins")
        planner.plan_env("prod", root, root, base, head)
        assert plans_run.count("plan") == 3


def test_an_unreadable_cached_plan_is_planned_again(
    renders: tuple[Path, dict[str, Any], dict[str, Any]], tmp_path: Path, plans_run: list[str]
) -> None:
    root, base, head = renders
    with OfflinePlanner(tmp_path / "cache") as planner:
        first = planner.plan_env("prod", root, root, base, head)
        for cached in (tmp_path / "cache" / "plans").glob("*.json"):
            cached.write_text('{"resource_changes": [', encoding="utf-8")  # cut short
        again = planner.plan_env("prod", root, root, base, head)
    assert plans_run.count("plan") == 2
    assert _changes(again.plan) == _changes(first.plan)
