"""SHA-256 of files, remembered by stat so re-rendering big weight folders does not re-read them.

Key: absolute path; valid while size, mtime_ns, ctime_ns, inode and device are unchanged (ctime
cannot be set by users, so touching a file back to its old mtime still invalidates it). Only big
files go to the on-disk cache (small ones are cheaper to hash than to look up); everything is
also memoised for the life of the process. Location: `caches.cache_dir()`
(SAGESPEC_CACHE_DIR=off disables the disk cache).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import atomic
from ..caches import cache_dir

DISK_MIN_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
_FILE = "file-sha256.json"

_Stamp = tuple[int, int, int, int, int]
_memo: dict[str, tuple[_Stamp, str]] = {}
_disk: dict[str, tuple[_Stamp, str]] | None = None
_dirty = False


def _stamp(st: os.stat_result) -> _Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _load_disk() -> dict[str, tuple[_Stamp, str]]:
    global _disk
    if _disk is None:
        _disk = {}
        folder = cache_dir()
        try:
            raw = json.loads((folder / _FILE).read_text("utf-8")) if folder else {}
            for key, (stamp, digest) in raw.items():
                _disk[key] = (tuple(stamp), str(digest))
        except (OSError, ValueError, TypeError):
            _disk = {}  # a missing or damaged cache is only a slower run
    return _disk


def hash_file(path: Path, st: os.stat_result) -> str:
    """sha256 hex of the file at `path`, whose lstat is `st`."""
    global _dirty
    key, stamp = str(path.absolute()), _stamp(st)
    hit = _memo.get(key)
    if hit is None and st.st_size >= DISK_MIN_BYTES:
        hit = _load_disk().get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    result = digest.hexdigest()
    _memo[key] = (stamp, result)
    if st.st_size >= DISK_MIN_BYTES:
        _load_disk()[key] = (stamp, result)
        _dirty = True
    return result


def save() -> None:
    """Write the disk cache if it changed; failures only cost speed next time."""
    global _dirty
    folder = cache_dir()
    if not _dirty or folder is None or _disk is None:
        return
    try:
        atomic.write_text(folder / _FILE, json.dumps(_disk, sort_keys=True) + "\n")
        _dirty = False
    except OSError:
        pass


def forget() -> None:
    """Drop the in-process memo (tests; long-running callers after files change under them)."""
    global _disk, _dirty
    _memo.clear()
    _disk, _dirty = None, False
