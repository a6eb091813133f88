"""The module READMEs: tools/module_docs.py keeps their variable and output tables current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import hcl_lint
from tests.helpers.hcl_tree import GOOD, REPO, load_tool, require_real_tree


def test_module_docs_generator_rewrites_stale_tables(tmp_path: Path) -> None:
    docs = load_tool("module_docs")
    shutil.copytree(GOOD / "modules", tmp_path / "modules")
    readme = tmp_path / "modules" / "endpoint" / "README.md"
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("| endpoint_name |", "| endpoint_nam |"), encoding="utf-8"
    )
    assert docs.main(["--check", "--root", str(tmp_path)]) == 1
    assert docs.main(["--root", str(tmp_path)]) == 0
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert "| execution_role_arn | Role SageMaker assumes. | `string` | n/a | yes |" in text
    assert text.endswith("Footer kept.\n")


def test_real_module_readmes_match_their_variables_and_outputs() -> None:
    require_real_tree()
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "module_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    for name in hcl_lint.EXPECTED_MODULES:
        text = (REPO / "modules" / name / "README.md").read_text(encoding="utf-8")
        assert "<!-- BEGIN_TF_DOCS -->" in text and "<!-- END_TF_DOCS -->" in text, name
