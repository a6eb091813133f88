"""Deterministic gzip on every core: python-isal's threaded writer (ISA-L, pigz's block scheme).

The stream is cut into blocks of BLOCK_SIZE bytes; each block is deflated on its own with the
previous block's last 32 KiB as dictionary and ends with a sync flush, so which thread (or how
many) compressed a block changes nothing: 1 or N cores give the same bytes. Memory stays bounded
at about two blocks per thread (one queued in, one out). The gzip header has mtime 0 and no name.

Level and block size are part of the artifact format: changing either changes every tarball
digest (the lock's `inputs` still tell whether files changed, so renders stay current).
Source: python-isal's isal/igzip_threaded.py (_ThreadedGzipWriter), https://github.com/pycompression/python-isal
"""

from __future__ import annotations

import os
from typing import IO, Any, cast

from isal import igzip_threaded

LEVEL = 1  # ISA-L's levels are 0..3; 1 compresses weights as well as gzip -6 at ~10x its speed
BLOCK_SIZE = 1024 * 1024


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS has no sched_getaffinity
        return max(1, os.cpu_count() or 1)


class Writer:
    """Uncompressed bytes in, gzip out to `out` (anything with write and flush); close to finish.

    Counts what it was given, so tarfile (which asks tell()) can write into it as into a file.
    """

    def __init__(self, out: Any, threads: int | None = None) -> None:
        count = threads if threads is not None else usable_cores()
        self._gz: IO[bytes] = cast(
            IO[bytes],
            igzip_threaded.open(  # type: ignore[no-untyped-call]  # isal's open() has no annotations
                out, "wb", compresslevel=LEVEL, threads=count, block_size=BLOCK_SIZE
            ),
        )
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._gz.write(data)
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        self._gz.flush()

    def close(self) -> None:
        self._gz.close()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
