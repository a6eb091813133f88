"""checkov's terraform_plan checks on a saved plan: running it offline and reading its report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import atomic
from ..errors import SagespecError

CHECKOV_ENV = "SAGESPEC_CHECKOV"
NO_REASON = ("", "No comment provided")  # checkov's suppress_comment when `#checkov:skip=ID` has none
HCL2_CONFLICT = "cannot import name 'START_LINE' from 'hcl2'"
HCL2_SHIM = "checkov-hcl2"


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    resource: str
    file: str | None = None  # repository-relative HCL file, when checkov mapped the plan back to code
    line: int | None = None
    reason: str | None = None  # the skip comment's reason
    guideline: str | None = None

    def format(self) -> str:
        where = f" ({self.file}:{self.line})" if self.file else ""
        return f"{self.id} {self.resource}{where}: {self.name}"


@dataclass(frozen=True)
class CheckovReport:
    version: str
    passed: int
    failed: tuple[Check, ...] = ()
    skipped: tuple[Check, ...] = ()  # skipped with a reason: accepted
    unexplained: tuple[Check, ...] = field(default=())  # skipped without a reason: counted as failed

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unexplained

    def failing(self) -> tuple[Check, ...]:
        return self.failed + self.unexplained


def checkov_command(environ: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The checkov to run and what its environment needs: $SAGESPEC_CHECKOV, else the dev extras'
    checkov in this virtualenv, else `checkov` on PATH.

    checkov needs bc-python-hcl2, which ships the same `hcl2` package as python-hcl2 8 (used by the
    HCL lint); bc-python-hcl2 is kept apart in <venv>/checkov-hcl2, and only checkov's
    process gets it first on PYTHONPATH.
    """
    explicit = environ.get(CHECKOV_ENV)
    if explicit:
        found = shutil.which(explicit, path=environ.get("PATH"))
        if found is None:
            raise SagespecError(
                f"{CHECKOV_ENV}={explicit}: no such executable", f"fix or unset {CHECKOV_ENV}"
            )
        return found, {}
    bundled = Path(sys.prefix) / "bin" / "checkov"
    if bundled.is_file():
        shim = Path(sys.prefix) / HCL2_SHIM
        paths = [str(shim)] if shim.is_dir() else []
        paths += [environ["PYTHONPATH"]] if environ.get("PYTHONPATH") else []
        return str(bundled), {"PYTHONPATH": os.pathsep.join(paths)} if paths else {}
    found = shutil.which("checkov", path=environ.get("PATH"))
    if found is None:
        raise SagespecError("checkov not found", f"install the dev tools (`make setup`) or set {CHECKOV_ENV}")
    return found, {}


def run_checkov(
    plan_json: Path, hcl_dir: Path, root: Path, report_file: Path, environ: Mapping[str, str] | None = None
) -> CheckovReport:
    """checkov's terraform_plan checks on plan_json. `#checkov:skip=ID:reason` comments in the HCL
    count: checkov maps plan resources back to hcl_dir's code (and the local modules it calls)."""
    env = dict(os.environ if environ is None else environ)
    binary, extra = checkov_command(env)
    # Offline and quiet: no PyPI version check, no Bridgecrew metadata download.
    env.update(
        {"SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE", "LOG_LEVEL": "WARNING", **extra}
    )
    argv = [
        binary,
        "-f",
        str(plan_json),
        "--framework",
        "terraform_plan",
        "-o",
        "json",
        "--skip-download",
        "--repo-root-for-plan-enrichment",
        str(hcl_dir),
    ]
    proc = subprocess.run(
        argv, capture_output=True, text=True, env=env, cwd=root, check=False, stdin=subprocess.DEVNULL
    )
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        raise _checkov_crash(proc) from None
    atomic.write_text(report_file, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return parse_checkov(data, hcl_dir, root)


def _checkov_crash(proc: subprocess.CompletedProcess[str]) -> SagespecError:
    tail = " | ".join(line for line in proc.stderr.strip().splitlines()[-3:]) or f"exit {proc.returncode}"
    if HCL2_CONFLICT in proc.stderr:
        shim = Path(sys.prefix) / HCL2_SHIM
        return SagespecError(
            f"checkov cannot start: {tail}",
            "checkov needs bc-python-hcl2, whose `hcl2` package python-hcl2 8 replaced here: "
            f"`make setup` puts it in {shim} "
            f"(uv pip install --target {shim} --no-deps bc-python-hcl2==0.4.3), "
            f"or set {CHECKOV_ENV} to a checkov installed in its own environment",
        )
    return SagespecError(f"checkov printed no JSON report: {tail}", "run checkov by hand to see why")


def parse_checkov(data: Any, hcl_dir: Path, root: Path) -> CheckovReport:
    """checkov -o json: one report object (or a list of them, one per framework). A plan with no
    resources gives only the summary counts."""
    reports = data if isinstance(data, list) else [data]
    report = next(
        (r for r in reports if isinstance(r, dict) and r.get("check_type") == "terraform_plan"),
        reports[0] if reports else {},
    )
    if not isinstance(report, dict):
        raise SagespecError("checkov's JSON report has an unexpected shape", "is this checkov >= 3?")
    results = report.get("results") or {}
    summary = report.get("summary") or report
    skipped = _checks(results.get("skipped_checks"), hcl_dir, root)
    return CheckovReport(
        version=str(summary.get("checkov_version", "unknown")),
        passed=int(summary.get("passed", len(results.get("passed_checks") or ()))),
        failed=tuple(_checks(results.get("failed_checks"), hcl_dir, root)),
        skipped=tuple(c for c in skipped if c.reason not in NO_REASON),
        unexplained=tuple(c for c in skipped if c.reason in NO_REASON),
    )


def _checks(raws: Any, hcl_dir: Path, root: Path) -> list[Check]:
    """One entry per (check, resource): checkov repeats some (CKV2 graph checks, once per edge)."""
    unique: dict[tuple[str, str], Check] = {}
    for raw in raws or ():
        check = _check(raw, hcl_dir, root)
        unique.setdefault((check.id, check.resource), check)
    return list(unique.values())


def _check(raw: Mapping[str, Any], hcl_dir: Path, root: Path) -> Check:
    result = raw.get("check_result") or {}
    file, line = _location(raw, hcl_dir, root)
    reason = result.get("suppress_comment")
    return Check(
        id=str(raw.get("check_id", "?")),
        name=str(raw.get("check_name", "")),
        resource=str(raw.get("resource_address") or raw.get("resource", "?")),
        file=file,
        line=line,
        reason=None if reason is None else str(reason).strip(),
        guideline=raw.get("guideline"),
    )


def _location(raw: Mapping[str, Any], hcl_dir: Path, root: Path) -> tuple[str | None, int | None]:
    """Enriched checks name the HCL file relative to hcl_dir ("main.tf", "../modules/x/main.tf");
    without enrichment they name the plan JSON, which says nothing: no location then."""
    path = str(raw.get("file_path") or "")
    lines = raw.get("file_line_range") or [0, 0]
    if not path.endswith((".tf", ".tf.json")):
        return None, None
    full = Path(os.path.normpath(hcl_dir / path.lstrip("/")))
    try:
        shown = full.relative_to(root).as_posix()
    except ValueError:
        shown = full.as_posix()
    return shown, int(lines[0]) if lines and lines[0] else None


def format_checks(report: CheckovReport, markdown: bool = False) -> str:
    """Failed checks, unexplained skips and accepted skips, one per line."""
    bullet = "- " if markdown else "  "
    lines = [
        f"checkov {report.version}: {report.passed} passed, {len(report.failed)} failed, "
        f"{len(report.skipped) + len(report.unexplained)} skipped"
    ]
    lines += [f"{bullet}FAILED {c.format()}" for c in report.failed]
    lines += [f"{bullet}SKIPPED WITHOUT A REASON (counts as failed) {c.format()}" for c in report.unexplained]
    lines += [f"{bullet}skipped {c.id} {c.resource}: {c.reason}" for c in report.skipped]
    return "\n".join(lines) + "\n"
