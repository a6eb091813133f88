"""caches.py: one rule for every cache folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from sagespec import caches


def test_the_explicit_folder_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAGESPEC_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert caches.cache_dir() == tmp_path / "mine"
    assert caches.cache_folder("plans") == tmp_path / "mine" / "plans"


def test_xdg_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAGESPEC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert caches.cache_dir() == tmp_path / "xdg" / "sagespec"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert caches.cache_dir() == tmp_path / "home" / ".cache" / "sagespec"


def test_off_keeps_the_needed_caches_under_the_temp_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGESPEC_CACHE_DIR", "off")
    assert caches.cache_dir() is None
    assert caches.cache_folder("providers") == Path(tempfile.gettempdir()) / "sagespec-cache" / "providers"
