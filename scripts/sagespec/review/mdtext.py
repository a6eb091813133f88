"""Small Markdown helpers: money, safe inline code and table cells (spec text is untrusted)."""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")
_RUN = re.compile(r"`+")


def code(text: str) -> str:
    """Inline code that survives any content: a fence longer than its longest backtick run, no pipes."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    longest = max((len(m) for m in _RUN.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Plain table-cell text: one line, pipes escaped, HTML and markers defused."""
    text = " ".join(str(text).split())
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def usd(value: float | None, none: str = "no price", cents: bool = False) -> str:
    """Dollars; hourly figures keep sub-cent digits, `cents` rounds (monthly figures)."""
    if value is None:
        return none
    rounded = round(value, 2)
    if cents or abs(value - rounded) < 5e-7:
        return f"${value:,.2f}"
    text = f"{value:,.4f}".rstrip("0")  # sub-cent figures (ml.m5.large is $0.115/h) keep their digits
    return f"${text}"


def signed(value: float | None, none: str = "n/a", cents: bool = False) -> str:
    if value is None:
        return none
    if abs(value) < (0.005 if cents else 5e-7):
        return "$0.00"
    return ("+" if value > 0 else "-") + usd(abs(value), cents=cents)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def fenced(text: str, lang: str = "") -> str:
    """A fenced code block whose fence no line of `text` can close."""
    longest = max((len(m) for m in _RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def details(summary: str, body: str, open_: bool = False) -> str:
    """A folded section; the blank lines let GitHub render the Markdown inside."""
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>\n\n{body}\n\n</details>"


def table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """align: one character per column, 'l' or 'r' (default left)."""
    marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plain(text: str) -> str:
    """Untrusted text outside code: one line, HTML defused."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chunks(items: list[T], size: int) -> list[list[T]]:
    """Tables and code blocks are cut into chunks so that a long report can split between them."""
    return [items[i : i + size] for i in range(0, len(items), size)]
