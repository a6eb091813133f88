"""`sagespec package`: build a model's artifact, upload it content-addressed, record it in the lock.

Compressed: the deterministic model.tar.gz is streamed to a temporary file while hashed (its
sha256 names the key, so it must be known before the upload), then uploaded multipart.
Uncompressed: every file goes under `models/<m>/<manifest digest>/`, mirroring the folder.
An object already at its content-addressed key with the same recorded sha256 is not uploaded
again; the lock is written only after the upload succeeded. With no S3 client (a dry run) nothing
is asked of AWS: the artifact is built and hashed, and counted as to be uploaded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from rich.console import Console
from rich.progress import Progress

from ..artifacts import contents, lockfile, s3keys, tarball
from ..artifacts.contents import FileEntry
from ..artifacts.lockfile import LockEntry
from ..errors import SagespecError
from ..spec import confine as paths
from ..spec.facts import artifact_compressed
from . import s3io
from .s3io import Bucket


@dataclass(frozen=True)
class Sources:
    """The local inputs of a model's artifact (paths resolved against the repo root)."""

    weights: Path | None
    code: Path | None
    compressed: bool


@dataclass(kw_only=True)
class Uploaded:
    """What `package` put in S3 (or found there already) and whether the lock file changed."""

    uri: str
    digest: str
    size: int
    uploaded: int  # objects uploaded (0: everything was already there)
    skipped: int
    lock_changed: bool


def local_sources(root: Path, spec: dict[str, Any]) -> Sources | None:
    """Local weights and/or a code folder, or None when the model has nothing to package."""
    weights = spec.get("weights") or {}
    local = weights.get("local")
    code = spec.get("code")
    if code and weights.get("s3"):
        raise SagespecError(
            "`code` with `weights.s3`: SageMaker takes one model artifact",
            "put code/ inside that tarball yourself, or use weights.local",
        )
    if not local and not code:
        return None
    return Sources(
        _inside(root, local["path"]) if local else None,
        _inside(root, code) if code else None,
        artifact_compressed(spec),
    )


def _inside(root: Path, relative: str) -> Path:
    """Checked again here (validate reports E704): nothing outside the repository is packaged."""
    path = paths.inside(root, relative)
    if path is None:
        raise SagespecError(
            "a path in the spec leaves the repository (absolute, '..', or through a symlink)",
            "give a folder inside the repository; `sagespec validate` shows which field",
        )
    return path


class _Counter:
    """Counts bytes into a progress task on their way to `out`."""

    def __init__(self, out: BinaryIO, progress: Progress, task: Any) -> None:
        self.out, self.progress, self.task = out, progress, task

    def write(self, data: bytes) -> int:
        self.progress.advance(self.task, len(data))
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def _lock_is_current(root: Path, model: str, sources: Sources, inputs: dict[str, str]) -> LockEntry | None:
    entry = lockfile.read_lock(root).get(model)
    if entry is not None and entry.compressed == sources.compressed and entry.inputs == inputs:
        return entry
    return None


def _stored(s3: Any | None, bucket: Bucket, key: str) -> str | None:
    return None if s3 is None else s3io.stored_sha256(s3, bucket, key)


def package_compressed(
    root: Path, model: str, sources: Sources, bucket: Bucket, s3: Any | None, console: Console, dry_run: bool
) -> Uploaded:
    inputs = contents.compute_inputs(sources.weights, sources.code)
    current = _lock_is_current(root, model, sources, inputs)
    if current is not None:  # nothing changed locally: if S3 has it too, there is nothing to build
        key = s3keys.artifact_key(model, current.sha256, True)
        if _stored(s3, bucket, key) == current.sha256:
            return Uploaded(
                uri=s3io.uri(bucket.name, key),
                digest=current.sha256,
                size=0,
                uploaded=0,
                skipped=1,
                lock_changed=False,
            )
    # A file on disk, not memory: upload_file then reads each part lazily from it.
    with tempfile.TemporaryDirectory(prefix="sagespec-") as tmp, s3io.progress_bar(console) as bar:
        path = Path(tmp) / "model.tar.gz"
        task = bar.add_task("build model.tar.gz", total=None)
        with path.open("wb") as handle:
            digest = tarball.write_tarball(
                sources.weights, sources.code, cast(BinaryIO, _Counter(handle, bar, task))
            )
        size = path.stat().st_size
        bar.update(task, total=size, completed=size)
        key = s3keys.artifact_key(model, digest, True)
        present = _stored(s3, bucket, key) == digest
        if not present and not dry_run and s3 is not None:
            s3io.upload(s3, bucket, path, key, digest, bar, "application/gzip")
    entry = LockEntry(digest, True, inputs)
    return Uploaded(
        uri=s3io.uri(bucket.name, key),
        digest=digest,
        size=size,
        uploaded=0 if present else 1,
        skipped=1 if present else 0,
        lock_changed=_record(root, model, entry, dry_run),
    )


def package_uncompressed(
    root: Path, model: str, sources: Sources, bucket: Bucket, s3: Any | None, console: Console, dry_run: bool
) -> Uploaded:
    inputs = contents.compute_inputs(sources.weights, sources.code)
    manifest = contents.artifact_manifest(sources.weights, sources.code)
    digest = contents.manifest_digest(manifest)
    prefix = s3keys.artifact_key(model, digest, False)
    todo = manifest if s3 is None else missing_files(s3, bucket, prefix, manifest)
    if todo and not dry_run and s3 is not None:
        with s3io.progress_bar(console) as bar:
            for entry in todo:
                s3io.upload(s3, bucket, entry.path, prefix + entry.arcname, entry.sha256, bar)
    size = sum(e.size for e in manifest)
    lock_entry = LockEntry(digest, False, inputs)
    return Uploaded(
        uri=s3io.uri(bucket.name, prefix),
        digest=digest,
        size=size,
        uploaded=len(todo),
        skipped=len(manifest) - len(todo),
        lock_changed=_record(root, model, lock_entry, dry_run),
    )


def missing_files(s3: Any, bucket: Bucket, prefix: str, manifest: list[FileEntry]) -> list[FileEntry]:
    """Files of `manifest` not yet under `prefix` with the same size and recorded sha256."""
    sizes = s3io.list_sizes(s3, bucket, prefix)
    return [
        e
        for e in manifest
        if sizes.get(prefix + e.arcname) != e.size
        or s3io.stored_sha256(s3, bucket, prefix + e.arcname) != e.sha256
    ]


def _record(root: Path, model: str, entry: LockEntry, dry_run: bool) -> bool:
    changed = lockfile.read_lock(root).get(model) != entry
    if changed and not dry_run:
        lockfile.update_lock(root, model, entry)
    return changed
