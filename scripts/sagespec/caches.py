"""Where sagespec keeps its caches: one rule for every cache folder.

$SAGESPEC_CACHE_DIR, else $XDG_CACHE_HOME/sagespec, else ~/.cache/sagespec. SAGESPEC_CACHE_DIR=off
turns off the caches that only save time (file digests, compiled schemas); the ones needed to work
at all (stand-in provider mirror, offline plans, serve venvs) then live under the temp folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache folder, or None when SAGESPEC_CACHE_DIR=off."""
    explicit = os.environ.get("SAGESPEC_CACHE_DIR")
    if explicit == "off":
        return None
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sagespec"


def cache_folder(name: str) -> Path:
    """A cache sub-folder that must exist even when caching is off (then under the temp folder)."""
    return (cache_dir() or Path(tempfile.gettempdir()) / "sagespec-cache") / name
