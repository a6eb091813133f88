"""What an artifact holds, and the digests over it.

The artifact of a model with local weights and/or a code folder holds the weight files at its
root (as SageMaker expects) and the code folder under `code/`. Uncompressed, those files are laid
out under the prefix `models/<m>/<digest>/`, the digest being over the manifest (path, size,
sha256 of every file); compressed, they go into model.tar.gz (tarball.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import SagespecError
from . import hashcache

CODE_DIR = "code"
# Never packaged: caches and editor litter that appear when people run code locally.
IGNORED_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"})
IGNORED_FILES = frozenset({".DS_Store", "Thumbs.db"})
IGNORED_SUFFIXES = (".pyc", ".pyo")

FileRow = tuple[str, Path, os.stat_result]  # (path inside the artifact or folder, file, lstat)


@dataclass(frozen=True)
class FileEntry:
    arcname: str  # path inside the artifact, POSIX separators
    path: Path
    size: int
    sha256: str


def _refuse(path: Path, what: str) -> SagespecError:
    return SagespecError(
        f"{path}: {what} cannot be packaged",
        "replace it with a regular file (artifacts hold regular files only)",
    )


def _walk(folder: Path, skip: Path | None = None) -> list[FileRow]:
    """Every regular file under `folder` as (relative POSIX path, path, lstat), sorted by path."""
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise SagespecError(
            f"{folder}: {what}", "check the path in the spec (paths are relative to the repo root)"
        )
    found: list[FileRow] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in list(dirs):
            sub = here / name
            if name in IGNORED_DIRS or (skip is not None and sub == skip):
                dirs.remove(name)
            elif sub.is_symlink():
                raise _refuse(sub, "a symbolic link")
        for name in names:
            if name in IGNORED_FILES or name.endswith(IGNORED_SUFFIXES):
                continue
            path = here / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise _refuse(path, "a symbolic link")
            if not stat.S_ISREG(st.st_mode):
                raise _refuse(path, "a special file")
            found.append((path.relative_to(folder).as_posix(), path, st))
    found.sort(key=lambda item: item[0])
    return found


def manifest_digest_of(rows: list[tuple[str, int, str]]) -> str:
    """sha256 over (path inside the artifact, size, sha256) rows, e.g. read back from S3."""
    # JSON keeps the encoding unambiguous whatever characters the file names hold.
    text = json.dumps(sorted(rows), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_digest(folder: Path) -> str:
    """sha256 over the sorted (relative path, size, sha256) of every regular file; symlinks refused."""
    rows = [(rel, st.st_size, hashcache.hash_file(path, st)) for rel, path, st in _walk(folder)]
    hashcache.save()
    return manifest_digest_of(rows)


def compute_inputs(weights: Path | None, code: Path | None) -> dict[str, str]:
    """The lock's `inputs`: what render recomputes to tell whether the lock is stale."""
    inputs: dict[str, str] = {}
    if weights is not None:
        inputs["weights"] = input_digest(weights)
    if code is not None:
        inputs["code"] = input_digest(code)
    return inputs


def files(weights: Path | None, code: Path | None) -> list[FileRow]:
    """(archive path, file, lstat) of the artifact, sorted; a code folder inside the weights is taken once."""
    if weights is None and code is None:
        raise SagespecError("nothing to package: the spec has neither local weights nor a code folder")
    skip = None
    if weights is not None and code is not None:
        w, c = weights.resolve(), code.resolve()
        if w == c:
            raise SagespecError(
                f"{code}: the code folder is the weights folder",
                "keep inference code in its own folder (it is packaged under code/)",
            )
        if w in c.parents:
            skip = weights / c.relative_to(w)  # as os.walk will spell it
    items: dict[str, tuple[Path, os.stat_result]] = {}
    for rel, path, st in _walk(weights, skip) if weights is not None else []:
        items[rel] = (path, st)
    for rel, path, st in _walk(code) if code is not None else []:
        arcname = f"{CODE_DIR}/{rel}"
        if arcname in items:
            raise SagespecError(
                f"{arcname}: both the weights folder and the code folder provide this file",
                "remove the code/ folder from the weights, or point `code` at it",
            )
        items[arcname] = (path, st)
    return [(name, *items[name]) for name in sorted(items)]


def artifact_manifest(weights: Path | None, code: Path | None) -> list[FileEntry]:
    """Every file of the artifact with its hash (the layout of an uncompressed prefix)."""
    entries = [
        FileEntry(name, path, st.st_size, hashcache.hash_file(path, st))
        for name, path, st in files(weights, code)
    ]
    hashcache.save()
    return entries


def manifest_digest(entries: list[FileEntry]) -> str:
    return manifest_digest_of([(e.arcname, e.size, e.sha256) for e in entries])
