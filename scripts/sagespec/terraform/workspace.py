"""A scratch copy of terraform/ and modules/ that Terraform runs on with the stand-in providers.

The copy gets a `backend "local"` override (the real S3 backend needs AWS) and no dependency lock
file (the committed one pins the real providers' hashes), and is initialised once: it is keyed by
the digest of the HCL it holds and by the engine (terraform/engine.py) resolved when it is prepared,
so a review of a branch that changes no HCL reuses it, and a data folder initialised by one
Terraform is never run by another. Every command on a workspace runs that same engine. States live
in local-backend workspaces inside it (terraform.tfstate.d/<name>), selected with TF_WORKSPACE.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from ..errors import SagespecError
from .engine import Engine
from .engine import resolve as resolve_engine
from .runner import TerraformRunner
from .standin import mirror

HCL_DIRS = ("terraform", "modules")
OVERRIDE_FILE = "zz_sagespec_offline_override.tf"
OVERRIDE = (
    "# Written by sagespec for the offline plan: local state instead of the S3 backend.\n"
    'terraform {\n  backend "local" {}\n}\n'
)
_SKIP = {
    ".terraform",
    ".terraform.lock.hcl",
    "terraform.tfstate",
    "terraform.tfstate.backup",
    "terraform.tfstate.d",
}


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for top in HCL_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP)
            found += [
                Path(dirpath) / f for f in sorted(filenames) if f not in _SKIP and not f.endswith(".tfplan")
            ]
    return found


def hcl_digest(root: Path) -> str:
    """sha256 over the relative paths and contents of everything Terraform reads under root."""
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Workspace:
    folder: Path  # holds terraform/ and modules/
    digest: str  # of the HCL only: equal digests mean the same configuration, whatever the engine
    installation: mirror.Installation
    engine: Engine

    @property
    def root_module(self) -> Path:
        return self.folder / "terraform"

    def state_file(self, name: str) -> Path:
        return self.root_module / "terraform.tfstate.d" / name / "terraform.tfstate"

    def runner(self, workspace: str, extra: Mapping[str, str] | None = None) -> TerraformRunner:
        env = {**self.installation.environment(), "TF_WORKSPACE": workspace, "TF_IN_AUTOMATION": "1"}
        env.update(extra or {})
        return TerraformRunner(
            self.root_module,
            binary=self.engine.path,
            data_dir=self.folder / ".terraform-data",
            env=env,
            stream=False,
        )


def prepare(source: Path, cache: Path) -> Workspace:
    """The initialised workspace for the HCL under `source` (built on first use, under a file lock)."""
    if not any((source / "terraform").glob("*.tf")):
        # Without a root module Terraform would plan nothing and the review would say "no changes".
        raise SagespecError(
            f"no Terraform root module in {source / 'terraform'}",
            "the offline plan needs the repository's terraform/ and modules/ (on the base ref too)",
        )
    installation = mirror.install(cache / "standin")
    digest = hcl_digest(source)
    found = resolve_engine()
    engine_id = hashlib.sha256(f"{found.kind}\0{found.version}\0{found.path}".encode()).hexdigest()[:8]
    base = cache / "work"
    base.mkdir(parents=True, exist_ok=True)
    key = f"{digest[:20]}-{found.kind}-{found.version}-{engine_id}"
    folder = base / key
    workspace = Workspace(folder, digest, installation, found)
    ready = folder / ".ready"
    with FileLock(str(base / f"{key}.lock")):
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)
            scratch = Path(tempfile.mkdtemp(prefix=".copy-", dir=base))
            for path in _files(source):
                target = scratch / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            (scratch / "terraform").mkdir(exist_ok=True)
            (scratch / "terraform" / OVERRIDE_FILE).write_text(OVERRIDE)
            scratch.rename(folder)
            workspace.runner("default").init(backend=True)
            ready.touch()
    return workspace
