"""Markdown pieces the report's templates use: safe inline code, defused text, fences, folds, tables.

Spec text is untrusted: it goes through `code` or `plain` (one line, pipes or HTML defused), never
into the Markdown as it is. The templates render with autoescape off (this is Markdown, not HTML).
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")
_RUN = re.compile(r"`+")


def code(text: object) -> str:
    """Inline code that survives any content: a fence longer than its longest backtick run, no pipes."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    longest = max((len(m) for m in _RUN.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text: object) -> str:
    """Untrusted text outside code: one line, HTML defused."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def html(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def fenced(text: str, lang: str = "") -> str:
    """A fenced code block whose fence no line of `text` can close."""
    longest = max((len(m) for m in _RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def details(summary: str, body: str) -> str:
    """A folded section; the blank lines let GitHub render the Markdown inside."""
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """align: one character per column, 'l' or 'r' (default left)."""
    marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def chunks(items: list[T], size: int) -> list[list[T]]:
    """Tables and code blocks are cut into chunks so that a long report can split between them."""
    return [items[i : i + size] for i in range(0, len(items), size)]
