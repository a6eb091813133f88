"""Paths from specs stay inside the repository: no absolute paths, no '..', no symlink out.

`sagespec package` tars what a spec names and uploads it; a path that leaves the repository
(`weights.local.path: ../../home/me/.aws`) would ship whatever is there.
"""

from __future__ import annotations

from pathlib import Path


def inside(root: Path, relative: str) -> Path | None:
    """root / relative when that resolves (symlinks followed) inside root; None when it leaves it."""
    if not relative or "\x00" in relative or Path(relative).is_absolute():
        return None
    target = root / relative
    return target if within(root, target) else None


def within(root: Path, path: Path) -> bool:
    """True when `path`, with every symlink resolved, is root or under it."""
    try:
        real, top = path.resolve(), root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return real == top or top in real.parents
