"""Saved plans: where `sagespec plan` keeps them, what they were made from, and checkov's verdict.

.sagespec/plans/<env>/      (ignored by git; 0700, files 0600: plans hold secret values in clear)
  plan.tfplan     our private copy of the binary plan; `sagespec apply` applies exactly its bytes
  plan.json       `terraform show -json plan.tfplan` (of that copy), for checkov; never uploaded
  checkov.json    checkov's report on plan.json
  summary.md      the redacted Markdown summary (addresses and attribute names, no values) and the
                  plan's changes hash, ready for a PR comment
  manifest.json   sha256 of the plan copy and of its changes, of the rendered file, backend.hcl and
                  the HCL code; versions; whether checks passed; what was applied and when
.sagespec/terraform/<env>/  Terraform's data folder (TF_DATA_DIR) for that environment
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import atomic, locks
from ..errors import SagespecError
from . import plan_store

STATE_DIR = Path(".sagespec")
MANIFEST_VERSION = 2  # 2: changes_sha256 and applied_plan_sha256


@dataclass(frozen=True)
class PlanFiles:
    folder: Path

    @property
    def plan(self) -> Path:
        return self.folder / "plan.tfplan"

    @property
    def written(self) -> Path:
        """Where Terraform writes the plan before we copy it privately."""
        return self.folder / "terraform-out.tfplan"

    @property
    def plan_json(self) -> Path:
        return self.folder / "plan.json"

    @property
    def checkov(self) -> Path:
        return self.folder / "checkov.json"

    @property
    def summary(self) -> Path:
        return self.folder / "summary.md"

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def plan_files(root: Path, env: str) -> PlanFiles:
    return PlanFiles(root / STATE_DIR / "plans" / env)


def env_lock(root: Path, env: str) -> AbstractContextManager[None]:
    """Held for a whole `plan` and a whole `apply`: a concurrent plan can neither replace the plan
    being applied nor interleave its files with another plan's. Taken at once or refused."""
    return locks.exclusive(
        root,
        f"env-{env}",
        f"environment {env}",
        timeout=0,
        hint=f"another `sagespec plan` or `apply` for {env} is running: wait for it, then try again",
    )


def data_dir(root: Path, env: str) -> Path:
    return root / STATE_DIR / "terraform" / env


TERRAFORM_DIR_ENV = "SAGESPEC_TERRAFORM_DIR"


def terraform_dir(root: Path, option: str | None) -> Path:
    """--terraform-dir, else $SAGESPEC_TERRAFORM_DIR, else <root>/terraform (relative paths: from the cwd)."""
    chosen = option or os.environ.get(TERRAFORM_DIR_ENV)
    folder = Path(chosen).resolve() if chosen else root / "terraform"
    if not folder.is_dir() or not (any(folder.glob("*.tf")) or any(folder.glob("*.tf.json"))):
        raise SagespecError(
            f"{folder} holds no Terraform root module (*.tf)",
            f"pass --terraform-dir DIR or set {TERRAFORM_DIR_ENV}",
        )
    return folder


def env_files(root: Path, env: str) -> tuple[Path, Path]:
    """(rendered.tfvars.json, backend.hcl) of an environment; both must exist."""
    envdir = root / "envs" / env
    if not (envdir / "env.yaml").is_file():
        known = sorted(p.parent.name for p in (root / "envs").glob("*/env.yaml"))
        raise SagespecError(
            f"unknown environment {env!r}: no envs/{env}/env.yaml",
            f"known environments: {', '.join(known) or 'none'}",
        )
    rendered, backend = envdir / "rendered.tfvars.json", envdir / "backend.hcl"
    if not rendered.is_file():
        raise SagespecError(f"envs/{env}/rendered.tfvars.json does not exist", f"run `make render ENV={env}`")
    if not backend.is_file():
        raise SagespecError(
            f"envs/{env}/backend.hcl does not exist: no state backend for {env}",
            "add the S3 backend settings (bucket, key, region, use_lockfile or dynamodb_table)",
        )
    return rendered, backend


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- what a plan was made from --------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    rendered_sha256: str
    backend_sha256: str
    code_sha256: str
    terraform_dir: str


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_noise(path: Path) -> bool:
    """Files Terraform or editors manage, and docs: changing them does not change what a plan does.
    (.terraform.lock.hcl is left out: Terraform itself refuses a plan whose providers changed.)"""
    return (
        any(part.startswith(".terraform") or part == "__pycache__" for part in path.parts)
        or path.suffix in (".md", ".tfplan", ".swp")
        or path.name.endswith((".tfstate", ".tfstate.backup", "~"))
    )


def code_sha256(folders: Iterable[Path], root: Path) -> str:
    """One digest over every file's path (relative to root) and content, in sorted order."""
    digest = hashlib.sha256()
    for folder in sorted(set(folders)):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder)
            if _is_noise(rel):
                continue
            name = os.path.relpath(path, root)
            digest.update(f"{name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def code_folders(root: Path, terraform_dir: Path) -> list[Path]:
    """The root module and the repository's modules/ (what a plan's HCL comes from)."""
    return [terraform_dir, root / "modules"]


def current_inputs(root: Path, env: str, terraform_dir: Path) -> Inputs:
    envdir = root / "envs" / env
    return Inputs(
        rendered_sha256=file_sha256(envdir / "rendered.tfvars.json"),
        backend_sha256=file_sha256(envdir / "backend.hcl"),
        code_sha256=code_sha256(code_folders(root, terraform_dir), root),
        terraform_dir=os.path.relpath(terraform_dir, root),
    )


def changed_inputs(saved: Inputs, current: Inputs, env: str) -> list[str]:
    """What changed since the plan was made, in words; empty when nothing did."""
    changes = []
    if saved.rendered_sha256 != current.rendered_sha256:
        changes.append(f"envs/{env}/rendered.tfvars.json changed")
    if saved.backend_sha256 != current.backend_sha256:
        changes.append(f"envs/{env}/backend.hcl changed")
    if saved.terraform_dir != current.terraform_dir:
        changes.append(f"the Terraform folder is now {current.terraform_dir}, was {saved.terraform_dir}")
    elif saved.code_sha256 != current.code_sha256:
        changes.append(f"the Terraform code ({saved.terraform_dir}/, modules/) changed")
    return changes


# ---- manifest -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    env: str
    created_at: str
    terraform: str  # binary path and version, e.g. "/usr/bin/terraform 1.9.8"
    plan_sha256: str  # of the bytes of plan.tfplan, our private copy
    changes_sha256: str  # of what the plan does (plan_store.changes_sha256): what CI reviews
    inputs: Inputs
    has_changes: bool
    counts: Mapping[str, int]
    checks_passed: bool
    checks_failed: tuple[str, ...] = ()  # "CKV_AWS_98 aws_sagemaker_endpoint_configuration.x"
    applied_at: str | None = None
    applied_plan_sha256: str | None = None  # the bytes Terraform applied (checked equal to plan_sha256)
    version: int = MANIFEST_VERSION


def write_manifest(files: PlanFiles, manifest: Manifest) -> None:
    atomic.write_text(files.manifest, json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n")


def read_manifest(files: PlanFiles) -> Manifest | None:
    """The saved plan's manifest, None when there is none. A damaged one is an error, not None."""
    if not files.manifest.is_file():
        return None
    try:
        data = json.loads(files.manifest.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError(f"manifest version {data.get('version')!r}, expected {MANIFEST_VERSION}")
        data["inputs"] = Inputs(**data["inputs"])
        data["checks_failed"] = tuple(data.get("checks_failed", ()))
        return Manifest(**data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SagespecError(
            f"{files.manifest} is damaged: {exc}", "delete the folder and run `sagespec plan` again"
        ) from exc


def reset(files: PlanFiles) -> None:
    """Remove a previous plan first, so a failed `plan` can never leave an older plan applicable."""
    for path in (files.manifest, files.plan, files.written, files.plan_json, files.checkov, files.summary):
        path.unlink(missing_ok=True)
    for stray in files.folder.glob("apply-*.tfplan"):  # copies an interrupted apply left behind
        stray.unlink()
    plan_store.private_folder(files.folder, files.folder.parents[2])  # <root>/.sagespec/plans/<env>


# ---- checkov on the plan --------------------------------------------------------------------------

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
