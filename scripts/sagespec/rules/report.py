"""A Reporter turns (document, field path, code, message) into a positioned Finding.

Messages never quote a spec value (findings.py scrubs what slips through); field paths are the
safe way to say where, so a key that is not a plain identifier is shown as <key>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import secretscan
from ..findings import Finding, Severity
from ..spec.keypath import KeyPath
from ..spec.project import Resolved, Source

# Keys shown in field paths as written: identifiers, env var names, tag keys without secrets.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/+-]{0,127}")
HIDDEN_KEY = "<key>"


def safe_key(key: str | int) -> str:
    """`key` as a path may show it: plain identifiers only, never anything that looks secret."""
    text = str(key)
    if _PLAIN_KEY.fullmatch(text) and secretscan.token_kind(text) is None:
        return text
    return HIDDEN_KEY


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{safe_key(part)}" if out else safe_key(part))
    return out


@dataclass
class Reporter:
    """Collects findings; per-environment findings remember which env produced them."""

    findings: list[tuple[str | None, Finding]] = field(default_factory=list)

    def add(
        self,
        where: Source | Resolved,
        path: KeyPath,
        code: str,
        message: str,
        hint: str | None = None,
        severity: Severity = "error",
        key: bool = False,
    ) -> None:
        env = where.env if isinstance(where, Resolved) else None
        line, col = where.locate(path, key) if isinstance(where, Resolved) else where.doc.locate(path, key)
        finding = Finding(where.file, line, col, severity, code, message, dotted(path), hint)
        self.findings.append((env, finding))

    def at(
        self, where: Source, line: int, col: int, code: str, message: str, hint: str | None = None
    ) -> None:
        """A finding at a text position that no field path names (a comment)."""
        self.findings.append((None, Finding(where.file, line, col, "error", code, message, "", hint)))

    def error(
        self,
        where: Source | Resolved,
        path: KeyPath,
        code: str,
        message: str,
        hint: str | None = None,
        key: bool = False,
    ) -> None:
        self.add(where, path, code, message, hint, "error", key)

    def warning(
        self, where: Source | Resolved, path: KeyPath, code: str, message: str, hint: str | None = None
    ) -> None:
        self.add(where, path, code, message, hint, "warning")

    def info(self, where: Source | Resolved, path: KeyPath, code: str, message: str) -> None:
        self.add(where, path, code, message, None, "info")
