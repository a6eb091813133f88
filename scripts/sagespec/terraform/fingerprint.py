"""What a plan was made from: digests of the rendered file, backend.hcl and the HCL code, so
`sagespec apply` can refuse a plan whose inputs changed since."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


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
