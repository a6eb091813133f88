"""Paths and loaders shared by the workflow tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"

Finding = dict[str, Any]
Lint = Callable[[Sequence[Path]], list[Finding]]


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def load_workflow(path: Path) -> dict[str, Any]:
    """A workflow as a mapping; PyYAML reads the key `on` as True (YAML 1.1), so rename it back."""
    data: dict[Any, Any] = load_yaml(path)
    if True in data:
        data["on"] = data.pop(True)
    return data
