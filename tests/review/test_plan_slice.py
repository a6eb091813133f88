"""A spec-only change is planned on a slice of the render: the same answer as a full plan, faster."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sagespec import pipeline
from sagespec.bench import run as bench
from sagespec.spec.project import load_project
from sagespec.terraform.offline import OfflinePlanner

pytestmark = pytest.mark.slow


def _changes(plan: dict[str, Any]) -> set[tuple[str, tuple[str, ...]]]:
    return {
        (rc["address"], tuple(rc["change"]["actions"]))
        for rc in plan["resource_changes"]
        if rc["mode"] == "managed" and rc["change"]["actions"] != ["no-op"]
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = bench.generate(tmp_path_factory.mktemp("bench") / "repo", 48)
    outcome = pipeline.check(load_project(root))
    return root, outcome.rendered["prod"]


def _pool_change(rendered: dict[str, Any]) -> None:
    rendered["endpoints"]["pool-0"]["instance_type"] = "ml.g5.24xlarge"


def _model_change(rendered: dict[str, Any]) -> None:
    model = next(k for k in rendered["models"] if k in rendered["inference_components"])
    rendered["models"][model]["environment"]["EXTRA"] = "1"


def _removal(rendered: dict[str, Any]) -> None:
    key = next(k for k, e in rendered["endpoints"].items() if e["type"] == "realtime")
    del rendered["endpoints"][key]
    del rendered["models"][key]


def _addition(rendered: dict[str, Any]) -> None:
    key = next(k for k, e in rendered["endpoints"].items() if e["type"] == "realtime")
    for var in ("models", "endpoints"):
        rendered[var]["copy-x"] = copy.deepcopy(rendered[var][key])
        rendered[var]["copy-x"]["name"] = rendered[var][key]["name"].replace(key, "copy-x")
    rendered["endpoints"]["copy-x"]["model_key"] = "copy-x"
    rendered["endpoints"]["copy-x"]["config_name"] = rendered["endpoints"][key]["config_name"].replace(
        key, "copy-x"
    )


@pytest.mark.parametrize("change", [_pool_change, _model_change, _removal, _addition])
def test_a_slice_plans_what_a_full_plan_plans(
    generated: tuple[Path, dict[str, Any]], tmp_path: Path, change: Any
) -> None:
    root, base = generated
    head = json.loads(json.dumps(base))
    change(head)
    with OfflinePlanner(tmp_path / "cache") as planner:
        sliced = planner.plan_env("prod", root, root, base, head)
        full = planner.plan_env("prod", root, root, base, head, allow_slice=False)
    assert sliced.scope is not None and full.scope is None
    assert len(sliced.scope) < len(base["models"])  # it really planned less
    assert _changes(sliced.plan) == _changes(full.plan)
    assert _changes(full.plan), "the change must plan something for the comparison to mean anything"
