"""The one error type of sagespec: a usage or environment problem (exit 2).

Spec problems are not exceptions: they are collected as Findings (exit 1).
"""

from __future__ import annotations


class SagespecError(Exception):
    """A problem the user must fix before the command can run (exit code 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message
