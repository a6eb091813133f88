"""The artifact lock, `specs/artifacts.lock.json`: the one place that reads and writes it.

Each model's entry records the digest of its artifact (tarball or manifest) and `inputs`, the
digests of its local folders. Render judges staleness on `inputs` alone (file hashes, no gzip),
so the tarball digest is computed once, by `sagespec lock` or `sagespec package`, and kept here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import atomic, locks
from ..errors import SagespecError
from . import contents, tarball

LOCK_FILE = "specs/artifacts.lock.json"
LOCK_VERSION = 1
LOCK_WAIT_SECONDS = 120  # writers queue behind each other; a stuck one is reported, not waited on forever
_HEX64 = re.compile(r"[0-9a-f]{64}")
_INPUT_KEYS = ("weights", "code")
_RESTORE = "restore the file from git, or rerun `sagespec package MODEL --env ENV`"


@dataclass(frozen=True)
class LockEntry:
    sha256: str  # digest of the deterministic model.tar.gz, or of the manifest (uncompressed)
    compressed: bool
    inputs: dict[str, str] = field(default_factory=dict)  # {"weights"|"code": input_digest(folder)}


def compute_entry(weights: Path | None, code: Path | None, compressed: bool) -> LockEntry:
    """The lock entry for these files: tarball digest (built into a hash sink) or manifest digest."""
    inputs = contents.compute_inputs(weights, code)
    if compressed:
        return LockEntry(tarball.write_tarball(weights, code, None), True, inputs)
    return LockEntry(contents.manifest_digest(contents.artifact_manifest(weights, code)), False, inputs)


def _lock_error(text: str, model: str | None, message: str) -> SagespecError:
    line = 1
    if model is not None:
        for number, content in enumerate(text.splitlines(), 1):
            if f'"{model}"' in content:
                line = number
                break
    return SagespecError(f"{LOCK_FILE}:{line}: {message}", _RESTORE)


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


def _load(root: Path) -> tuple[str, Any] | None:
    """(text, parsed JSON) of the lock file; None when there is none; SagespecError when unreadable."""
    try:
        text = (root / LOCK_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SagespecError(f"{LOCK_FILE}: cannot read: {exc}") from exc
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise SagespecError(
            f"{LOCK_FILE}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}", _RESTORE
        ) from exc


def read_lock(root: Path) -> dict[str, LockEntry]:
    """The lock file's entries by model name; {} when there is no lock file."""
    loaded = _load(root)
    if loaded is None:
        return {}
    text, data = loaded
    if (
        not isinstance(data, dict)
        or data.get("version") != LOCK_VERSION
        or not isinstance(data.get("artifacts"), dict)
        or set(data) != {"version", "artifacts"}
    ):
        raise _lock_error(text, None, f'expected {{"version": {LOCK_VERSION}, "artifacts": {{...}}}}')
    return {model: _parse_entry(text, model, raw) for model, raw in data["artifacts"].items()}


def read_raw_lock(root: Path) -> dict[str, Any]:
    """The entries as written, unchecked; {} when the file is absent or unreadable.

    For showing what a side of a review holds (an old base may use another shape), never for
    deciding what to deploy: that is read_lock's job."""
    try:
        loaded = _load(root)
    except SagespecError:
        return {}
    data = loaded[1] if loaded is not None else None
    entries = data.get("artifacts") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def lock_text(entries: dict[str, LockEntry]) -> str:
    data = {
        "version": LOCK_VERSION,
        "artifacts": {
            model: {"sha256": e.sha256, "compressed": e.compressed, "inputs": dict(e.inputs)}
            for model, e in entries.items()
        },
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


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
