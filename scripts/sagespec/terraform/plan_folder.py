"""Saved plans: where `sagespec plan` keeps them and which inputs an environment needs.

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

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import locks
from ..errors import SagespecError
from . import plan_store

STATE_DIR = Path(".sagespec")


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


def reset(files: PlanFiles) -> None:
    """Remove a previous plan first, so a failed `plan` can never leave an older plan applicable."""
    for path in (files.manifest, files.plan, files.written, files.plan_json, files.checkov, files.summary):
        path.unlink(missing_ok=True)
    for stray in files.folder.glob("apply-*.tfplan"):  # copies an interrupted apply left behind
        stray.unlink()
    plan_store.private_folder(files.folder, files.folder.parents[2])  # <root>/.sagespec/plans/<env>
