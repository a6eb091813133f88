"""What a Markdown page states, read the way GitHub renders it: headings and their anchors, table
rows, and relative links. Code (fenced blocks and inline spans) is skipped: a `[x](y)` or a `# x`
inside code is text, not a link or a heading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class Link:
    line: int
    target: str


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, line) for every line outside fenced code blocks."""
    kept: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        opened = _FENCE.match(line)
        if opened:
            marker = opened.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None:
            kept.append((number, line))
    return kept


def headings(text: str) -> list[str]:
    """Heading texts, in order, with their Markdown (backticks included) as written."""
    return [m.group(2) for _, line in prose_lines(text) if (m := _HEADING.match(line))]


def table_rows(text: str) -> list[str]:
    """Every table row, stripped (separator rows included; they match nothing useful)."""
    return [line.strip() for _, line in prose_lines(text) if line.strip().startswith("|")]


def table_first_cells(text: str) -> list[str]:
    """The first cell of every table row: the key a row documents."""
    return [row.strip("|").split("|", 1)[0].strip() for row in table_rows(text)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    plain = re.sub(r"<[^>]+>", "", heading).strip().lower()
    plain = re.sub(r"[^\w\- ]", "", plain)
    return plain.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor the page defines; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for heading in headings(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(text: str) -> list[Link]:
    """Links to files or anchors of this repository (not http:, https:, mailto:)."""
    links = []
    for number, line in prose_lines(text):
        for match in _LINK.finditer(_INLINE_CODE.sub("", line)):
            target = match.group(1)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                links.append(Link(number, target))
    return links


def broken_links(page: Path, repo: Path) -> list[str]:
    """`file:line: target (why)` for every relative link of page that does not resolve."""
    problems = []
    text = page.read_text(encoding="utf-8")
    for link in relative_links(text):
        path_part, _, anchor = link.target.partition("#")
        target = (page.parent / path_part).resolve() if path_part else page
        where = f"{page.relative_to(repo)}:{link.line}: {link.target}"
        if not target.exists():
            problems.append(f"{where} (no such file)")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target.read_text(encoding="utf-8")):
            problems.append(f"{where} (no heading with anchor #{anchor})")
    return problems
