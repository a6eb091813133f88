"""The review as Markdown for a pull-request comment: verdict and warnings first, details folded.

The comment's shape is in templates/report.md.j2 and the section templates it imports; the text of
table rows and money lines comes from report_changes and report_cost. GitHub refuses comments over
65,536 characters: the report is rendered at decreasing levels of detail until it fits one comment
(the JSON output always has everything); if even the shortest does not fit, report_split cuts it
into numbered parts between blocks. Part 1 starts with the hidden marker the PR workflow finds its
comment by.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import report_changes, report_cost
from .costing import headline
from .model import CAUTION, ENV_ADDED, ENV_REMOVED, ENV_UNCHANGED, ENV_UNKNOWN, WARNING, Review
from .money import signed, usd
from .plan_changes import ACTIONS
from .report_changes import COMPACT, FULL, MINIMAL, TERSE
from .report_split import BUDGET, pack
from .report_text import chunks, code, details, fenced, html, plain, plural, table
from .spec_diff import CHANGED

MARKER = "<!-- sagespec-review -->"
MAX_ALERTS = 25  # per alert box; the rest are in the resource tables
LEVELS = {
    FULL: "",
    COMPACT: "the field lists of added specs (the files are new: read them in the pull request)",
    MINIMAL: "field lists of added and long spec diffs, resource field details and most warnings",
    TERSE: "field lists, resource details (changes are grouped per spec) and most warnings",
}
# Ends a block in the templates' output. Whitespace to str.split, so no text that went through
# code() or plain() holds one, and YAML (the specs) cannot carry this control character at all.
END = "\x1e"


def render(review: Review) -> list[str]:
    """The report as one or more parts, each within GitHub's comment limit."""
    for level in LEVELS:
        blocks = report_blocks(review, level)
        if sum(len(b) + 2 for b in blocks) + len(MARKER) <= BUDGET:
            break
    return pack(MARKER, blocks)


def report_blocks(review: Review, level: int) -> list[str]:
    """The report at one level of detail, as the blocks a split may fall between."""
    text = (
        _templates()
        .get_template("report.md.j2")
        .render(
            review=review,
            level=level,
            left_out=LEVELS[level],
            headline=headline([env.cost for env in review.envs]),
        )
    )
    *pieces, tail = text.split(END)
    blocks = [piece.strip("\n") for piece in pieces]
    assert not tail.strip() and all(blocks), "a template ended a block it did not write"
    return blocks


def numbered(index: int, count: int) -> str:
    """ " (2/3)" for the second of three chunks of one thing; nothing when there is one."""
    return f" ({index}/{count})" if count > 1 else ""


@cache
def _templates() -> Environment:
    templates = Environment(
        loader=PackageLoader("sagespec.review", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown: untrusted text is escaped where it goes in (code, plain, html)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    templates.filters.update(code=code, plain=plain, html=html)
    templates.globals.update(
        END=END,
        changes=report_changes,
        costs=report_cost,
        plural=plural,
        signed=signed,
        usd=usd,
        chunks=chunks,
        table=table,
        details=details,
        fenced=fenced,
        numbered=numbered,
        ACTIONS=ACTIONS,
        MAX_ALERTS=MAX_ALERTS,
        CAUTION=CAUTION,
        WARNING=WARNING,
        CHANGED=CHANGED,
        MINIMAL=MINIMAL,
        TERSE=TERSE,
        ENV_REMOVED=ENV_REMOVED,
        ENV_UNCHANGED=ENV_UNCHANGED,
        ENV_UNKNOWN=ENV_UNKNOWN,
        ENV_STATUS={ENV_UNKNOWN: "❌ invalid", ENV_REMOVED: "➖ removed", ENV_ADDED: "➕ added"},
    )
    return templates
