"""Consoles of the day-2 commands: results on stdout, progress and waiting on stderr.

Rich wraps at 80 columns when output is not a terminal; logs and CI want whole lines, so
non-terminal output gets a wide, plain console.
"""

from __future__ import annotations

import sys

from rich.console import Console


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(file=stream, highlight=False, soft_wrap=not terminal, width=None if terminal else 200)


def out() -> Console:
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)
