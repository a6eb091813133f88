"""Saved plans kept private and applied byte for byte as verified.

A plan file holds every variable and attribute value in clear, resolved secrets included, so it
lives only in a folder no other user can enter (0700) as a file no other user can read (0600), and
is never uploaded or printed. What may leave the machine is the redacted summary and two hashes:

- the plan sha256: of the exact bytes of our private copy; `apply` re-reads the copy once, checks
  those bytes against the manifest, and hands Terraform a fresh private file holding exactly them;
- the changes sha256: of what the plan does (`terraform show -json`'s resource and output changes),
  stable across re-plans of the same code, render and state. CI records it in the review comment
  and the apply job refuses a plan whose changes hash differs from the reviewed one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import atomic
from ..errors import SagespecError

PRIVATE_DIR_MODE = 0o700
# Parts of `terraform show -json` that say what applying the plan does. Left out on purpose:
# timestamp, prior_state and planned_values (derived), configuration (code, hashed separately).
CHANGE_KEYS = ("resource_changes", "output_changes", "resource_drift")


def private_folder(folder: Path, up_to: Path) -> Path:
    """Create `folder` and every folder between `up_to` and it as 0700, owned by us, no symlinks."""
    rel = folder.relative_to(up_to)
    current = up_to
    for part in rel.parts:
        current = current / part
        current.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        info = current.lstat()
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise SagespecError(f"{current} is not a plain folder", "remove it and plan again")
        if info.st_uid != os.getuid():
            raise SagespecError(f"{current} belongs to another user", "remove it and plan again")
        os.chmod(current, PRIVATE_DIR_MODE)
    return folder


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep_private_copy(written: Path, copy: Path) -> str:
    """Read the plan Terraform wrote once, store those bytes as `copy` (0600, atomic), remove the
    original, and return the sha256 of the bytes stored."""
    data = written.read_bytes()
    atomic.write_bytes(copy, data)  # mkstemp: 0600
    os.chmod(copy, 0o600)
    written.unlink()
    return sha256_bytes(data)


def verified_copy(saved: Path, expected_sha256: str, folder: Path) -> tuple[Path, str]:
    """A fresh 0600 file in `folder` holding the bytes of `saved`, after checking them against
    `expected_sha256`. Those bytes are read once: what is checked is what Terraform gets, even if
    `saved` is replaced a moment later."""
    try:
        data = saved.read_bytes()
    except FileNotFoundError:
        raise SagespecError(f"the saved plan file {saved} is missing", "run `sagespec plan` again") from None
    actual = sha256_bytes(data)
    if actual != expected_sha256:
        raise SagespecError(
            f"the saved plan file {saved} is not the one `sagespec plan` wrote "
            f"(sha256 {actual[:12]}..., manifest says {expected_sha256[:12]}...)",
            "someone or something replaced it: run `sagespec plan` again and review the new plan",
        )
    fd, name = tempfile.mkstemp(prefix="apply-", suffix=".tfplan", dir=folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Path(name), actual


def changes_sha256(plan_json: Mapping[str, Any]) -> str:
    """sha256 of what a plan does, from its `terraform show -json` (canonical JSON)."""
    changes = {key: plan_json.get(key) for key in CHANGE_KEYS}
    text = json.dumps(changes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_bytes(text.encode("utf-8"))


def hash_marker(env: str, sha256: str) -> str:
    """The hidden line the review comment carries and the apply job looks for."""
    return f"<!-- sagespec-plan-sha256:{env}:{sha256} -->"
