"""Is an environment's rendered file exactly the committed one? `cleanup --yes` deletes what the
rendered file no longer names, so it must not act on an edit nobody committed or reviewed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import SagespecError
from ..layout import rendered_path

GIT_TIMEOUT_SECONDS = 30


def committed_bytes(root: Path, relpath: str) -> bytes:
    """The file as committed in HEAD. Any git problem is an error: we cannot vouch for the file."""
    hint = "commit the rendered file (after review), or run cleanup from a clean checkout of main"
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{relpath}"],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise SagespecError(f"git is not installed: cannot check that {relpath} is committed", hint) from None
    except subprocess.TimeoutExpired:
        raise SagespecError(f"git took over {GIT_TIMEOUT_SECONDS} s to show HEAD:{relpath}", hint) from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SagespecError(
            f"cannot read {relpath} as committed in HEAD ({reason[-1] if reason else 'git failed'})", hint
        )
    return proc.stdout


def require_committed_render(root: Path, env: str) -> None:
    relpath = rendered_path(Path(), env).as_posix()
    if (root / relpath).read_bytes() != committed_bytes(root, relpath):
        raise SagespecError(
            f"{relpath} differs from the committed one: refusing to delete from an uncommitted render",
            "commit the rendered file (after review) or `git checkout` it, then run cleanup again",
        )
