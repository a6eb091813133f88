"""Fit a report into GitHub comments: blocks in order, a new numbered part when the next one would
overflow. Blocks are small by construction (tables and code blocks are chunked); one that is
still too big is cut at a line and closed properly, never sent whole.
"""

from __future__ import annotations

GITHUB_LIMIT = 65_536  # characters in one issue or pull-request comment
# Per part, with room for the PR workflow's own footer ("Updated for <sha> by run ...") and
# for the part headers added below: the workflow truncates anything above 65,000.
BUDGET = 60_000
_HEADER_ROOM = 400
PART_MARKER = "<!-- sagespec-review:part-{n} -->"  # parts 2..N; part 1 carries the main marker


def pack(marker: str, blocks: list[str], budget: int = BUDGET) -> list[str]:
    room = budget - _HEADER_ROOM
    parts: list[list[str]] = [[marker]]
    size = len(marker)
    for block in blocks:
        block = fit(block, room - len(marker))
        if size + len(block) + 2 > room and len(parts[-1]) > (1 if len(parts) == 1 else 0):
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += len(block) + 2
    total = len(parts)
    texts = []
    for number, part in enumerate(parts, 1):
        body = "\n\n".join(part)
        if total > 1 and number == 1:
            body += (
                f"\n\n> [!NOTE]\n> This report has {total} parts; this is part 1. The others follow in "
                "separate comments (files FILE.2, FILE.3, … with `--out FILE`)."
            )
        elif total > 1:
            body = f"{PART_MARKER.format(n=number)}\n## sagespec review, part {number} of {total}\n\n{body}"
        texts.append(body.rstrip("\n") + "\n")
    return texts


def fit(block: str, limit: int) -> str:
    """The block, or its first lines up to `limit` with open code fences and <details> closed."""
    if len(block) <= limit:
        return block
    note = "\n… cut here: this block alone is larger than a comment (`--format json` has everything)"
    kept: list[str] = []
    size = 0
    fence: str | None = None
    for line in block.splitlines():
        if size + len(line) + 1 > limit - len(note) - 200:
            break
        kept.append(line)
        size += len(line) + 1
        stripped = line.lstrip()
        if stripped.startswith("```"):
            run = stripped[: len(stripped) - len(stripped.lstrip("`"))]
            fence = None if fence is not None and run.startswith(fence) else (fence or run)
    closing = [fence] if fence else []
    opened = sum(line.count("<details") for line in kept) - sum(line.count("</details>") for line in kept)
    closing += ["", "</details>"] * max(0, opened)
    return "\n".join([*kept, *closing, note])
