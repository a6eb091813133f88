"""Exclusive file locks (the `filelock` library) for read-modify-write steps and per-environment work.

Lock files live in .sagespec/locks/ (ignored by git), never beside the file they protect, so a lock
never shows up in a commit. The lock is advisory: every sagespec writer takes it, nothing else does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import SagespecError

LOCK_DIR = Path(".sagespec") / "locks"


def lock_path(root: Path, name: str) -> Path:
    return root / LOCK_DIR / f"{name}.lock"


@contextmanager
def exclusive(root: Path, name: str, what: str, *, timeout: float, hint: str) -> Iterator[None]:
    """Hold .sagespec/locks/<name>.lock while the block runs; after `timeout` seconds of waiting
    (0: do not wait) raise a SagespecError that says who is in the way (`what`) and `hint`."""
    path = lock_path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise SagespecError(f"{what} is locked by another sagespec process ({path})", hint) from None
    try:
        yield
    finally:
        lock.release()
