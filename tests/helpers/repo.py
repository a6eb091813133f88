"""Scratch repositories for tests: the fixture repo, plus whatever files a test drops in."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from sagespec.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REPO = FIXTURES.parent.parent
_NOT_HCL = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan")


def add_hcl(dest: Path) -> Path:
    """This repository's terraform/ and modules/ into a scratch repo: the review plans with them."""
    for part in ("terraform", "modules"):
        shutil.copytree(REPO / part, dest / part, ignore=_NOT_HCL, dirs_exist_ok=True)
    return dest


def fixture_repo(dest: Path, *extra: Path) -> Path:
    shutil.copytree(FIXTURES / "repo", dest)
    add_hcl(dest)
    for path in extra:
        shutil.copy(path, dest / "specs" / "models" / path.name)
    return dest


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def findings_json(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = run_cli("--root", str(root), "validate", "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)["findings"]
