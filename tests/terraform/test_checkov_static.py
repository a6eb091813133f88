"""checkov over the HCL: proven on a bad fixture, then run over terraform/ with every env's render.

One checkov process serves every case (checkov_driver.py), since its start-up dominates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.hcl_tree import ENV_FILES, ENV_IDS, HCL_FIXTURES, REPO, require_real_tree

CHECKOV_BAD = HCL_FIXTURES / "checkov_bad"


@pytest.fixture(scope="module")
def checkov_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One checkov process for everything: the bad fixture and each env over terraform/ (see the driver)."""
    out = tmp_path_factory.mktemp("checkov")
    jobs: dict[str, dict[str, str | None]] = {"fixture": {"dir": str(CHECKOV_BAD), "var_file": None}}
    if (REPO / "terraform").is_dir() and any((REPO / "terraform").glob("*.tf")):
        for tfvars in ENV_FILES:
            jobs[tfvars.relative_to(REPO).as_posix()] = {
                "dir": str(REPO / "terraform"),
                "var_file": str(tfvars),
            }
    for number, job in enumerate(jobs.values()):
        job["out"] = str(out / str(number))
    # checkov needs bc-python-hcl2, which ships the same `hcl2` package as python-hcl2 8 (used by the lint):
    # the setup installs it apart, in .venv/checkov-hcl2, and only checkov's process sees it.
    shim = Path(sys.prefix) / "checkov-hcl2"
    env = {**os.environ, "LOG_LEVEL": "WARNING", "CHECKPOINT_DISABLE": "1"}
    if shim.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shim), env.get("PYTHONPATH")]))
    driver = Path(__file__).with_name("checkov_driver.py")
    result = subprocess.run(
        [sys.executable, str(driver), json.dumps(list(jobs.values()))],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if "cannot import name 'START_LINE'" in result.stderr:
        pytest.fail(
            "checkov cannot import its bc-python-hcl2 (python-hcl2 8 overwrote the shared `hcl2` package): "
            f"install it apart with `uv pip install --target {shim} --no-deps bc-python-hcl2==0.4.3`"
        )
    assert result.returncode == 0, f"checkov crashed:\n{result.stderr[-4000:]}"
    return {name: _read_report(out / str(number) / "results_json.json") for number, name in enumerate(jobs)}


def _read_report(path: Path) -> dict[str, Any]:
    assert path.is_file(), f"checkov wrote no report at {path}"
    data = json.loads(path.read_text(encoding="utf-8"))
    reports = data if isinstance(data, list) else [data]
    report = next((r for r in reports if r.get("check_type") == "terraform"), reports[0])
    assert isinstance(report, dict)
    return report


def _failures(report: dict[str, Any]) -> list[str]:
    return [
        f"{c['check_id']} {c['resource']} ({c['file_abs_path']}:{c['file_line_range'][0]}): {c['check_name']}"
        for c in report.get("results", {}).get("failed_checks", [])
    ]


def test_checkov_reports_failures_of_the_bad_fixture(checkov_reports: dict[str, Any]) -> None:
    failed = {line.split()[0] for line in _failures(checkov_reports["fixture"])}
    assert {"CKV2_AWS_6", "CKV_AWS_21", "CKV_AWS_98"} <= failed


@pytest.mark.parametrize("tfvars", ENV_FILES or [None], ids=ENV_IDS or ["none"])
def test_checkov_passes_for_each_env(tfvars: Path | None, checkov_reports: dict[str, Any]) -> None:
    assert tfvars is not None, "no envs/*/rendered.tfvars.json to scan: run `make render ENV=<env>`"
    require_real_tree()
    report = checkov_reports[tfvars.relative_to(REPO).as_posix()]
    summary = report.get("summary", {})
    assert summary.get("parsing_errors", 0) == 0, f"checkov could not parse the HCL: {summary}"
    assert summary.get("resource_count", 0) > 0, f"checkov saw no resources with {tfvars.name}: {summary}"
    failures = _failures(report)
    assert not failures, (
        f"{len(failures)} failed checks (fix, or skip with `#checkov:skip=ID:reason`):\n"
        + "\n".join(failures)
    )
