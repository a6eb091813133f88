"""Model artifacts: a deterministic model.tar.gz, content-addressed S3 keys, and the lock file.

The artifact of a model with local weights and/or a code folder is either
- compressed: `model.tar.gz` with the weight files at the archive root (as SageMaker expects)
  and the code folder under `code/`; its sha256 names the key `models/<m>/<sha>/model.tar.gz`;
- uncompressed: the same files laid out under the prefix `models/<m>/<digest>/`, where the
  digest is over the manifest (path, size, sha256 of every file).

The same files always give the same bytes: sorted entries, mtime 0, owner 0/"" and modes
0o644/0o755 in the tar; the gzip is ops/pgzip.py's (fixed level and block size, every core,
the same bytes on 1 or N cores). Another ISA-L version may still compress differently, so
staleness is judged on `inputs` (file hashes, no gzip) and the tarball digest is recorded once,
by `sagespec lock` or `sagespec package`, in the lock file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, cast

from .. import atomic, locks
from ..errors import SagespecError
from . import hashcache, pgzip

LOCK_FILE = "specs/artifacts.lock.json"
LOCK_VERSION = 1
CODE_DIR = "code"
# Never packaged: caches and editor litter that appear when people run code locally.
IGNORED_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"})
IGNORED_FILES = frozenset({".DS_Store", "Thumbs.db"})
IGNORED_SUFFIXES = (".pyc", ".pyo")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_INPUT_KEYS = ("weights", "code")


@dataclass(frozen=True)
class LockEntry:
    sha256: str  # digest of the deterministic model.tar.gz, or of the manifest (uncompressed)
    compressed: bool
    inputs: dict[str, str] = field(default_factory=dict)  # {"weights"|"code": input_digest(folder)}


@dataclass(frozen=True)
class FileEntry:
    arcname: str  # path inside the artifact, POSIX separators
    path: Path
    size: int
    sha256: str


# ---------------------------------------------------------------- walking and digests


def _refuse(path: Path, what: str) -> SagespecError:
    return SagespecError(
        f"{path}: {what} cannot be packaged",
        "replace it with a regular file (artifacts hold regular files only)",
    )


def _walk(folder: Path, skip: Path | None = None) -> list[tuple[str, Path, os.stat_result]]:
    """Every regular file under `folder` as (relative POSIX path, path, lstat), sorted by path."""
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise SagespecError(
            f"{folder}: {what}", "check the path in the spec (paths are relative to the repo root)"
        )
    found: list[tuple[str, Path, os.stat_result]] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in list(dirs):
            sub = here / name
            if name in IGNORED_DIRS or (skip is not None and sub == skip):
                dirs.remove(name)
            elif sub.is_symlink():
                raise _refuse(sub, "a symbolic link")
        for name in files:
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


def _manifest_digest(rows: list[tuple[str, int, str]]) -> str:
    # JSON keeps the encoding unambiguous whatever characters the file names hold.
    text = json.dumps(sorted(rows), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_digest(folder: Path) -> str:
    """sha256 over the sorted (relative path, size, sha256) of every regular file; symlinks refused."""
    rows = [(rel, st.st_size, hashcache.hash_file(path, st)) for rel, path, st in _walk(folder)]
    hashcache.save()
    return _manifest_digest(rows)


def compute_inputs(weights: Path | None, code: Path | None) -> dict[str, str]:
    """The lock's `inputs`: what render recomputes to tell whether the lock is stale."""
    inputs: dict[str, str] = {}
    if weights is not None:
        inputs["weights"] = input_digest(weights)
    if code is not None:
        inputs["code"] = input_digest(code)
    return inputs


def _layout(weights: Path | None, code: Path | None) -> list[tuple[str, Path, os.stat_result]]:
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
        for name, path, st in _layout(weights, code)
    ]
    hashcache.save()
    return entries


def manifest_digest(entries: list[FileEntry]) -> str:
    return _manifest_digest([(e.arcname, e.size, e.sha256) for e in entries])


def manifest_digest_of(rows: list[tuple[str, int, str]]) -> str:
    """The same digest from (path inside the artifact, size, sha256) rows, e.g. read back from S3."""
    return _manifest_digest(rows)


# ---------------------------------------------------------------- the tarball


class _HashingWriter:
    """Passes bytes through to `out` (if any) and hashes them: the tarball is never held in memory."""

    def __init__(self, out: BinaryIO | None) -> None:
        self.out, self.digest, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        if self.out is not None:
            self.out.write(data)
        return len(data)

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()


def _tarinfo(name: str, size: int, is_dir: bool) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
    info.size = 0 if is_dir else size
    info.mode = 0o755 if is_dir else 0o644
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
    return info


def write_tarball(
    weights: Path | None, code: Path | None, out: BinaryIO | None, threads: int | None = None
) -> str:
    """Write the deterministic model.tar.gz to `out` (None: only hash it); return its sha256.

    `threads` (default: every usable core) changes the speed, never the bytes.
    """
    sink = _HashingWriter(out)
    with (
        pgzip.Writer(sink, threads) as gz,
        tarfile.TarFile(
            fileobj=cast(BinaryIO, gz), mode="w", format=tarfile.PAX_FORMAT, copybufsize=hashcache.CHUNK
        ) as tar,
    ):
        made: set[str] = set()
        for name, path, st in _layout(weights, code):
            parents = list(PurePosixPath(name).parents)[-2::-1]  # "a", "a/b" for "a/b/c"
            for parent in map(str, parents):
                if parent not in made:
                    made.add(parent)
                    tar.addfile(_tarinfo(parent, 0, True))
            with path.open("rb") as handle:
                tar.addfile(_tarinfo(name, st.st_size, False), handle)
    return sink.digest.hexdigest()


def compute_entry(weights: Path | None, code: Path | None, compressed: bool) -> LockEntry:
    """The lock entry for these files: tarball digest (built into a hash sink) or manifest digest."""
    inputs = compute_inputs(weights, code)
    if compressed:
        return LockEntry(write_tarball(weights, code, None), True, inputs)
    return LockEntry(manifest_digest(artifact_manifest(weights, code)), False, inputs)


# ---------------------------------------------------------------- keys


def split_s3_uri(uri: str) -> tuple[str, str]:
    """s3://bucket/some/key -> ("bucket", "some/key")."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def artifact_key(model: str, digest: str, compressed: bool) -> str:
    """S3 key of a packaged artifact in the env's bucket: a tarball, or a prefix ending in '/'."""
    return f"models/{model}/{digest}/model.tar.gz" if compressed else f"models/{model}/{digest}/"


def hf_mirror_prefix(model: str, revision: str | None) -> str:
    """S3 prefix of a mirrored Hugging Face snapshot: `models/<m>/hf/<revision>/` (uncompressed)."""
    rev = revision or "main"
    if any(part in ("", ".", "..") for part in rev.split("/")):
        raise SagespecError(
            f"Hugging Face revision {rev!r} cannot be used in an S3 key", "use a branch, tag or commit hash"
        )
    return f"models/{model}/hf/{rev}/"


# ---------------------------------------------------------------- the lock file


def _lock_error(text: str, model: str | None, message: str) -> SagespecError:
    line = 1
    if model is not None:
        for number, content in enumerate(text.splitlines(), 1):
            if f'"{model}"' in content:
                line = number
                break
    return SagespecError(
        f"{LOCK_FILE}:{line}: {message}",
        "restore the file from git, or rerun `sagespec package MODEL --env ENV`",
    )


def _parse_entry(text: str, model: str, raw: Any) -> LockEntry:
    if not isinstance(raw, dict) or set(raw) != {"sha256", "compressed", "inputs"}:
        raise _lock_error(text, model, f"entry {model!r} must have exactly sha256, compressed and inputs")
    sha, compressed, inputs = raw["sha256"], raw["compressed"], raw["inputs"]
    if not isinstance(sha, str) or not _HEX64.fullmatch(sha):
        raise _lock_error(text, model, f"entry {model!r}: sha256 must be 64 lowercase hex digits")
    if not isinstance(compressed, bool):
        raise _lock_error(text, model, f"entry {model!r}: compressed must be true or false")
    if (
        not isinstance(inputs, dict)
        or not set(inputs) <= set(_INPUT_KEYS)
        or not all(isinstance(v, str) and _HEX64.fullmatch(v) for v in inputs.values())
    ):
        raise _lock_error(text, model, f"entry {model!r}: inputs must map weights/code to sha256 digests")
    return LockEntry(sha, compressed, dict(inputs))


def read_lock(root: Path) -> dict[str, LockEntry]:
    """The lock file's entries by model name; {} when there is no lock file."""
    path = root / LOCK_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SagespecError(f"{LOCK_FILE}: cannot read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SagespecError(
            f"{LOCK_FILE}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}",
            "restore the file from git, or rerun `sagespec package MODEL --env ENV`",
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("version") != LOCK_VERSION
        or not isinstance(data.get("artifacts"), dict)
        or set(data) != {"version", "artifacts"}
    ):
        raise _lock_error(text, None, f'expected {{"version": {LOCK_VERSION}, "artifacts": {{...}}}}')
    return {model: _parse_entry(text, model, raw) for model, raw in data["artifacts"].items()}


def lock_text(entries: dict[str, LockEntry]) -> str:
    data = {
        "version": LOCK_VERSION,
        "artifacts": {
            model: {"sha256": e.sha256, "compressed": e.compressed, "inputs": dict(e.inputs)}
            for model, e in entries.items()
        },
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


LOCK_WAIT_SECONDS = 120  # writers queue behind each other; a stuck one is reported, not waited on forever


def update_lock(root: Path, model: str, entry: LockEntry) -> None:
    """Record `entry` for `model` (atomic write, sorted keys, 2-space indent, final newline).

    Read, change and write happen under one exclusive file lock: two `package` runs at once would
    otherwise each write the file they read, and the later one would drop the other's entry."""
    with locks.exclusive(
        root,
        "artifacts-lock",
        LOCK_FILE,
        timeout=LOCK_WAIT_SECONDS,
        hint="wait for the other `sagespec package` to finish, then run this one again",
    ):
        entries = read_lock(root)
        entries[model] = entry
        atomic.write_text(root / LOCK_FILE, lock_text(entries))
