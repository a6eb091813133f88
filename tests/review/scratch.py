"""A scratch git repository for review tests: the example specs committed as the base."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sagespec import cli

GIT = shutil.which("git") or "git"
IDENTITY = ["-c", "user.email=t@t", "-c", "user.name=t", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run([GIT, *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def init(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "base")
    return repo


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace exactly `count` occurrences: a test must not pass because its edit silently missed."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{path.name}: expected {count} x {old!r}, found {text.count(old)}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_yaml_line(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{path.name}: no line matches {pattern!r}"
    path.write_text(new, encoding="utf-8")


def bigger_change(repo: Path) -> None:
    """The scenario of the issue: more inference-component copies on a bigger pool, and a realtime
    model moved to a larger instance."""
    mistral = repo / "specs" / "models" / "mistral-7b-instruct.yaml"
    edit(mistral, "    copies: 4\n", "    copies: 8\n")
    edit(mistral, "max_copies: 4", "max_copies: 8")
    pool = repo / "specs" / "endpoints" / "gpu-pool.yaml"
    edit(pool, "  instance_count: 1\n", "  instance_count: 2\n")
    # dev's pool may not grow (managed_scaling max 1 there): keep it at one instance
    edit(
        pool,
        "    instance_type: ml.g5.2xlarge\n",
        "    instance_type: ml.g5.2xlarge\n    instance_count: 1\n",
    )
    edit(
        repo / "specs" / "models" / "gpt-neo-125m.yaml",
        "instance_type: ml.m5.large",
        "instance_type: ml.m5.xlarge",
    )


def review(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["--root", str(repo), "review", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def review_json(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = review(repo, capsys, "--format", "json", *args)
    assert out, err
    return code, json.loads(out)
