"""`sagespec lock MODEL`: compute a model's lock entry from its local files, offline, and record it.

The lock is env-independent (render adds each env's bucket), so the model's weights and code
folders must be the same in every environment that enables it. No AWS call is made: the
entry's digest is the tarball's (built into a hash sink, never written) or the manifest's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich import filesize
from rich.console import Console

from ..artifacts import lockfile, s3keys
from ..errors import SagespecError
from ..layout import find_root
from ..spec.project import load_project
from . import packaging
from .console import out
from .packaging import Sources

# Above this, a compressed artifact costs a long gzip here and a long download + unpack before
# the container starts; SageMaker serves an uncompressed prefix straight from S3.
# https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-uncompressed.html
BIG_WEIGHTS_BYTES = 10 * 1000**3


def model_sources(root: Path, model: str) -> Sources:
    """The model's local inputs, identical in every environment that enables it."""
    project = load_project(root)
    found: dict[Sources | None, list[str]] = {}
    for env in project.env_names:
        resolved = project.resolve(env).models.get(model)
        if resolved is not None:
            found.setdefault(packaging.local_sources(root, resolved.spec), []).append(env)
    if not found:
        if any(s.kind == "Model" and s.name == model for s in project.specs):
            raise SagespecError(f"model {model!r} is not enabled in any environment")
        known = sorted({str(s.name) for s in project.specs if s.kind == "Model" and s.name})
        raise SagespecError(
            f"no kind Model named {model!r} under specs/", f"models: {', '.join(known) or 'none'}"
        )
    if len(found) > 1:
        envs = "; ".join(", ".join(e) for e in found.values())
        raise SagespecError(
            f"model {model!r} packages different files per environment ({envs})",
            f"{lockfile.LOCK_FILE} holds one artifact per model: keep weights and code out of `environments`",
        )
    sources = next(iter(found))
    if sources is None:
        raise SagespecError(
            f"model {model!r} has nothing to lock",
            "lock records weights.local and code; hub and S3 weights need no lock entry",
        )
    for folder in (sources.weights, sources.code):
        if folder is not None and not folder.is_dir():
            raise SagespecError(
                f"{folder.relative_to(root)}: no such folder: the lock is computed from the files",
                "run `sagespec lock` where the weights are (a developer's copy, not CI)",
            )
    return sources


def weights_size(sources: Sources) -> int:
    """Bytes of the weight files (stat only: the hint must not cost a second read of big files)."""
    if sources.weights is None:
        return 0
    return sum(path.stat().st_size for path in sources.weights.rglob("*") if path.is_file())


def big_weights_hint(sources: Sources, console: Console) -> None:
    if sources.compressed and sources.weights is not None:
        size = weights_size(sources)
        if size >= BIG_WEIGHTS_BYTES:
            console.print(
                f"  hint: {filesize.decimal(size)} of weights: set weights.local.compressed: false "
                "(SageMaker loads an uncompressed prefix faster, and nothing is gzipped)"
            )


def lock_model(root: Path, model: str, console: Console) -> bool:
    """Compute and record `model`'s entry; True when the lock file changed."""
    sources = model_sources(root, model)
    entry = lockfile.compute_entry(sources.weights, sources.code, sources.compressed)
    changed = lockfile.read_lock(root).get(model) != entry
    if changed:
        lockfile.update_lock(root, model, entry)
    what = "model.tar.gz" if entry.compressed else "uncompressed prefix"
    console.print(f"{model}: {what} digest {entry.sha256}")
    console.print(f"  key in each env's bucket: {s3keys.artifact_key(model, entry.sha256, entry.compressed)}")
    state = "updated: commit it with the spec" if changed else "unchanged"
    console.print(f"  {lockfile.LOCK_FILE} {state}")
    big_weights_hint(sources, console)
    return changed


def main(args: argparse.Namespace) -> int:
    root = find_root(getattr(args, "root", None))
    console = out()
    for model in dict.fromkeys(args.models):
        lock_model(root, model, console)
    console.print("next: `make package MODEL=M ENV=dev` uploads it; `sagespec promote` copies it on")
    return 0
