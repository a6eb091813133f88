"""The report's templates without a repository: the shape of an empty review, and the block contract
the splitter relies on (tests/review/test_snapshots.py pins real reviews byte for byte)."""

from __future__ import annotations

from sagespec.review import report
from sagespec.review.model import Review

EMPTY = (
    "<!-- sagespec-review -->\n\n"
    "## sagespec review: `main (not found)` → working tree\n\n"
    "✅ **Specs valid** (0 warnings) · specs: none · resources: no changes · cost: $0.00 → $0.00/month "
    "($0.00)\n\nNo environments.\n\n### Spec changes\n\nNo spec, environment or artifact changes.\n\n"
    "### Resource changes\n\n### Cost\n\n$ per hour while running and per month of 730 hours, on-demand "
    "list prices from the catalog. Rows show the endpoints whose size or cost changes; one line counts "
    "the rest. *no price*: the catalog has no sourced figure, so the endpoint is left out of every total "
    "and delta (never guessed) and named. Sources and assumptions are at the end.\n\n"
    "### Validation findings\n\nNone: every spec and environment validates cleanly.\n\n"
    "---\n<sub>\nNo catalog price was used.<br>\nCost assumptions: none stated</sub>\n"
)


def _empty(live: list[str] | None = None) -> Review:
    return Review("main", None, "working tree", [], [], [], [], "none stated", [], live or [])


def test_an_empty_review_renders_every_section_it_always_has() -> None:
    assert report.render(_empty()) == [EMPTY]


def test_blocks_are_whole_and_hold_no_separator() -> None:
    live = ["### Live capacity\n\nNothing rendered here is deployed yet."]
    for level in report.LEVELS:
        blocks = report.report_blocks(_empty(live), level)
        assert live[0] in blocks  # a block passed in stays one block, unchanged
        assert all(b and b == b.strip("\n") and report.END not in b for b in blocks)
        assert ("Shortened to fit one comment" in blocks[1]) == bool(level)


def test_untrusted_text_is_escaped_in_the_report() -> None:
    review = _empty()
    review.notes.append("a <script> note\nover two lines")
    (text,) = report.render(review)
    assert "- a &lt;script&gt; note over two lines" in text
