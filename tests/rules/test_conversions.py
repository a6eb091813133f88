"""W411 (YAML converted a value) on its own: the text prefilter that lets most documents skip the
node walk must never hide a conversion the walk would report."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec.rules import conversions
from sagespec.rules.report import Reporter
from sagespec.spec.project import Source
from sagespec.spec.yamlload import load_text

SCALARS = [
    "5:00",
    "1:30:00",
    "0777",
    "-010",
    "NO",
    "yes",
    "On",
    "off",
    "y",
    "4.40",
    "1e3",
    ".5",
    "+1.5",
    "1_000.5",
    "3.0",
    "1.5",
    "10",
    "true",
    "x",
    "5:x",
    "0o17",
    "0x1F",
    "'0777'",
    '"NO"',
]


def _conversion_warnings(text: str, walk_always: bool) -> list[tuple[int, str]]:
    document, _ = load_text(text, "x.yaml")
    assert document is not None
    if walk_always:
        document.text = ""  # no text: the prefilter cannot skip the walk
    reporter = Reporter()
    conversions.check(reporter, Source(document, Path("x.yaml")))
    return [(f.line, f.path) for _, f in reporter.findings]


@pytest.mark.parametrize("flow", [True, False])
@pytest.mark.parametrize("value", SCALARS)
def test_the_text_prefilter_never_hides_a_conversion(value: str, flow: bool) -> None:
    """W411 scans the text before walking the nodes: whatever the walk would warn on, it must see."""
    env = f"  environment: {{A: {value}}}\n" if flow else f"  environment:\n    A: {value}\n"
    for text in (
        f"kind: Model\nspec:\n{env}",
        f"kind: Model\nmetadata: {{description: {value}}}\n",
        f"kind: Model\nlist:\n  - {value}\n",
        f"kind: Model\nlist: [x, {value}]\n",
    ):
        assert _conversion_warnings(text, walk_always=False) == _conversion_warnings(text, walk_always=True)


def test_the_walk_finds_what_the_prefilter_lets_through() -> None:
    found = _conversion_warnings("spec:\n  environment: {A: NO, B: 0777, C: 5:00, D: 4.40}\n", False)
    assert len(found) == 4
