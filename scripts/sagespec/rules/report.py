"""A Reporter turns (document, field path, code, message) into a positioned Finding."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Severity
from ..project import Resolved, Source
from ..yamlload import Path_


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Reporter:
    """Collects findings; per-environment findings remember which env produced them."""

    findings: list[tuple[str | None, Finding]] = field(default_factory=list)

    def add(
        self,
        where: Source | Resolved,
        path: Path_,
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

    def error(
        self,
        where: Source | Resolved,
        path: Path_,
        code: str,
        message: str,
        hint: str | None = None,
        key: bool = False,
    ) -> None:
        self.add(where, path, code, message, hint, "error", key)

    def warning(
        self, where: Source | Resolved, path: Path_, code: str, message: str, hint: str | None = None
    ) -> None:
        self.add(where, path, code, message, hint, "warning")

    def info(self, where: Source | Resolved, path: Path_, code: str, message: str) -> None:
        self.add(where, path, code, message, None, "info")
