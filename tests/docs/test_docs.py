"""The documentation keeps up with the code: every CLI command, every make target and every finding
code has its place in docs/, and no relative link in README.md or docs/ points nowhere. Each check
also runs on a page made to fail it, so a check that can no longer fail is caught too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sagespec.cli import COMMANDS
from sagespec.findings import CODES
from tests.docs.markdown_facts import broken_links, headings, table_first_cells, table_rows

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
_MAKE_TARGET = re.compile(r"^([a-z][a-z0-9-]*):[^=\n]*##\s*\S", re.MULTILINE)


def make_targets(makefile: str) -> list[str]:
    """Targets with a `## help` text: the ones `make help` lists."""
    return _MAKE_TARGET.findall(makefile)


def documented(texts: list[str], invocation: str) -> bool:
    """`invocation` (e.g. `sagespec lock`, `make lock`) opens code in a heading or a table row."""
    pattern = re.compile(rf"`{re.escape(invocation)}[ `]")
    return any(pattern.search(place) for text in texts for place in (*headings(text), *table_rows(text)))


def undocumented(texts: list[str], invocations: list[str]) -> list[str]:
    return [name for name in invocations if not documented(texts, name)]


def docs_texts() -> list[str]:
    return [page.read_text(encoding="utf-8") for page in sorted(DOCS.glob("*.md"))]


def codes_missing(findings_doc: str) -> list[str]:
    listed = set(re.findall(r"`([EWI]\d{3})`", " ".join(table_first_cells(findings_doc))))
    return [code for code in CODES if code not in listed]


# --- commands -------------------------------------------------------------------------------------


def test_every_cli_command_is_documented() -> None:
    assert undocumented(docs_texts(), [f"sagespec {name}" for name in COMMANDS]) == []


def test_a_command_named_only_in_prose_is_not_documented() -> None:
    prose = "Run `sagespec lock MODEL` first.\n\n```\n### `sagespec lock`\n```\n"
    assert undocumented([prose], ["sagespec lock"]) == ["sagespec lock"]
    assert undocumented(["### `sagespec lock MODEL...`\n"], ["sagespec lock"]) == []
    assert undocumented(["| `sagespec lock` | x |\n"], ["sagespec lock"]) == []
    # `sagespec locks` is another command, not lock
    assert undocumented(["### `sagespec locks`\n"], ["sagespec lock"]) == ["sagespec lock"]


# --- make targets ---------------------------------------------------------------------------------


def test_every_make_target_is_documented() -> None:
    targets = make_targets((REPO / "Makefile").read_text(encoding="utf-8"))
    assert {"review", "test", "lint", "bench"} <= set(targets)
    assert undocumented(docs_texts(), [f"make {target}" for target in targets]) == []


def test_make_targets_are_the_ones_with_help() -> None:
    makefile = "X := 1\nhelp: ## list\n\t@true\nbuild: $(STAMP) ## build it\n.stamp: pyproject.toml\n"
    assert make_targets(makefile) == ["help", "build"]
    assert undocumented(["| `make help` | list |\n"], ["make help", "make build"]) == ["make build"]


# --- finding codes --------------------------------------------------------------------------------


def test_every_finding_code_is_in_the_findings_table() -> None:
    assert codes_missing((DOCS / "findings.md").read_text(encoding="utf-8")) == []


def test_a_code_missing_from_the_table_is_reported() -> None:
    first, *rest = CODES
    table = "| code | level | meaning |\n|---|---|---|\n" + "".join(f"| `{c}` | x | y |\n" for c in rest)
    assert codes_missing(table + f"\nProse mentions `{first}` only.\n") == [first]


# --- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(page: Path) -> None:
    assert broken_links(page, REPO) == []


def test_broken_links_are_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## Plan and apply\n")
    page = tmp_path / "README.md"
    page.write_text(
        "# Top\n\n"
        "[ok](docs/other.md) [ok](docs/other.md#plan-and-apply) [ok](#top) [web](https://example.com)\n"
        "[gone](docs/missing.md)\n"
        "[bad anchor](docs/other.md#plan)\n"
        "[bad local](#nowhere) `[code](nowhere.md)`\n"
        "```\n[fenced](nowhere.md)\n```\n"
    )
    assert broken_links(page, tmp_path) == [
        "README.md:4: docs/missing.md (no such file)",
        "README.md:5: docs/other.md#plan (no heading with anchor #plan)",
        "README.md:6: #nowhere (no heading with anchor #nowhere)",
    ]


def test_repeated_headings_get_numbered_anchors(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("## Notes\n\n## Notes\n\n[second](#notes-1) [third](#notes-2)\n")
    assert broken_links(page, tmp_path) == ["a.md:5: #notes-2 (no heading with anchor #notes-2)"]
