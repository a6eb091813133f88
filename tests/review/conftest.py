"""Review tests run with git alone on PATH: no terraform, no aws CLI, and (conftest) no real AWS."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.review.scratch import init


@pytest.fixture(autouse=True)
def _git_only_path(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    git = shutil.which("git")
    assert git, "the review tests need git"
    bin_dir = tmp_path_factory.mktemp("bin")
    os.symlink(git, bin_dir / "git")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("SAGESPEC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    assert shutil.which("terraform") is None
    return bin_dir


@pytest.fixture
def scratch(repo_copy: Path) -> Path:
    """The example specs, envs and model code in a fresh git repo, committed on main as the base."""
    return init(repo_copy)
