"""layout.py: where the repository's files are, and which environments exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec import layout
from sagespec.errors import SagespecError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for env in ("dev", "prod"):
        (tmp_path / "envs" / env).mkdir(parents=True)
        (tmp_path / "envs" / env / "env.yaml").write_text("kind: Environment\n")
    (tmp_path / "envs" / "notes").mkdir()  # a folder without env.yaml is no environment
    (tmp_path / "specs").mkdir()
    return tmp_path


def test_known_environments_hold_an_env_yaml(repo: Path) -> None:
    assert layout.known_envs(repo) == ["dev", "prod"]
    assert layout.require_env(repo, "prod") == repo / "envs" / "prod"
    assert layout.rendered_path(repo, "prod") == repo / "envs" / "prod" / "rendered.tfvars.json"


@pytest.mark.parametrize("env", ["notes", "../prod", "prod/../dev", ""])
def test_anything_else_is_an_unknown_environment(repo: Path, env: str) -> None:
    with pytest.raises(SagespecError) as raised:
        layout.require_env(repo, env)
    assert raised.value.message == f"unknown environment {env!r}: no envs/{env}/env.yaml"
    hint = raised.value.hint or ""
    assert "known environments: dev, prod" in hint or "did you mean" in hint  # names a real one


def test_a_near_miss_is_suggested(repo: Path) -> None:
    with pytest.raises(SagespecError) as raised:
        layout.require_env(repo, "prd")
    assert "prod" in (raised.value.hint or "")


def test_the_root_is_found_from_below(repo: Path) -> None:
    below = repo / "envs" / "dev"
    assert layout.find_root(start=below) == repo.resolve()
    with pytest.raises(SagespecError):
        layout.find_root(str(repo / "envs"))
