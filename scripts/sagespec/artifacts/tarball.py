"""The deterministic model.tar.gz: the same files always give the same bytes.

Sorted entries, mtime 0, owner 0/"" and modes 0o644/0o755 in the tar; the gzip is pgzip.py's
(fixed level and block size, every core, the same bytes on 1 or N cores). Its sha256 names the
key `models/<m>/<sha>/model.tar.gz`. Another ISA-L version may still compress differently, so
staleness is judged on the lock's `inputs` (lockfile.py), not on this digest.
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

from . import contents, hashcache, pgzip


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
        for name, path, st in contents.files(weights, code):
            parents = list(PurePosixPath(name).parents)[-2::-1]  # "a", "a/b" for "a/b/c"
            for parent in map(str, parents):
                if parent not in made:
                    made.add(parent)
                    tar.addfile(_tarinfo(parent, 0, True))
            with path.open("rb") as handle:
                tar.addfile(_tarinfo(name, st.st_size, False), handle)
    return sink.digest.hexdigest()
