"""A Reporter turns (document, field path, code, message) into a positioned Finding.

Messages never quote a spec value (findings.py scrubs what slips through); field paths are the
safe way to say where, so a key that is not a plain identifier is shown as <key>.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Severity
from ..spec.keypath import KeyPath, dotted
from ..spec.project import Resolved, Source


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
