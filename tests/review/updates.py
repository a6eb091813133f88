"""Shared by the tests of docs/updates.md (test_updates*.py): addresses, and what a review says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.review.scratch import edit, review_json

MISTRAL = "specs/models/mistral-7b-instruct.yaml"
FALCON = "specs/models/falcon-40b.yaml"
FLAN = "specs/models/flan-t5-biography.yaml"
GPT_NEO = "specs/models/gpt-neo-125m.yaml"
IC = 'module.inference_component["mistral-7b-instruct"]'
NEO = 'module.endpoint["gpt-neo-125m"]'
DELETE_FIRST = ["delete", "create"]


def env_of(doc: dict[str, Any], env: str) -> dict[str, Any]:
    return next(e for e in doc["environments"] if e["env"] == env)


def actions(doc: dict[str, Any], env: str) -> dict[str, list[str]]:
    return {c["address"]: c["actions"] for c in env_of(doc, env)["changes"]}


def change(doc: dict[str, Any], env: str, address: str) -> dict[str, Any]:
    return next(c for c in env_of(doc, env)["changes"] if c["address"] == address)


def e801(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["code"] == "E801"]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, doc = review_json(repo, capsys, "--base", "main")
    assert code == 1 and doc["ok"] is False, doc["findings"]
    return doc


def accepted(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, doc = review_json(repo, capsys, "--base", "main")
    assert code == 0, doc["findings"]
    return doc


def allow_downtime(path: Path, deployment_line: str, indent: str = "    ") -> None:
    """Add `rollout: {allow_downtime: true}` right after the given line of spec.deployment."""
    edit(path, deployment_line, f"{deployment_line}{indent}rollout: {{allow_downtime: true}}\n")
