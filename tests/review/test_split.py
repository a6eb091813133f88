"""The GitHub comment limit: folding, chunking and numbered parts, on a huge change set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sagespec.review.report_split import GITHUB_LIMIT, PART_MARKER, fit, pack
from tests.review.scratch import review

MARKER = "<!-- sagespec-review -->"


def _balanced(part: str) -> bool:
    fences = [line for line in part.splitlines() if line.startswith("```")]
    return len(fences) % 2 == 0 and part.count("<details") == part.count("</details>")


def _add_copies(repo: Path, names: list[str]) -> None:
    template = (repo / "specs" / "models" / "minilm-embeddings.yaml").read_text(encoding="utf-8")
    for name in names:
        (repo / "specs" / "models" / f"{name}.yaml").write_text(
            # without prod's provisioned concurrency: 500 warm copies would pass prod's cost ceiling
            template.replace("name: minilm-embeddings", f"name: {name}").replace(
                ", provisioned_concurrency: 2", ""
            ),
            encoding="utf-8",
        )


def test_a_large_change_is_shortened_to_one_comment(
    scratch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    names = [f"emb-{i:03d}" for i in range(60)]
    _add_copies(scratch, names)
    out = tmp_path / "review.md"
    code, _, _ = review(scratch, capsys, "--base", "main", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert code == 0 and not (tmp_path / "review.md.2").exists()
    assert len(text) <= GITHUB_LIMIT - 1_000 and _balanced(text)
    assert "Shortened to fit one comment" in text
    assert all(f"`{name}`" in text for name in names)


@pytest.mark.slow  # 500 specs through the offline Terraform plan: minutes on two busy cores
def test_huge_change_set_is_split_into_parts_within_the_limit(
    scratch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    names = [f"emb-{i:03d}" for i in range(500)]
    _add_copies(scratch, names)
    out = tmp_path / "review.md"
    (tmp_path / "review.md.99").write_text("stale part of an earlier run\n", encoding="utf-8")
    code, stdout, err = review(scratch, capsys, "--base", "main", "--out", str(out))
    assert code == 0, err
    assert stdout == ""
    parts = [out, *sorted(tmp_path.glob("review.md.*"), key=lambda p: int(p.suffix[1:]))]
    texts = [p.read_text(encoding="utf-8") for p in parts]
    assert len(texts) >= 2, [len(t) for t in texts]
    assert not (tmp_path / "review.md.99").exists()
    assert texts[0].startswith(MARKER) and f"This report has {len(texts)} parts" in texts[0]
    assert "✅ **Specs valid**" in texts[0]
    for number, text in enumerate(texts, 1):
        assert len(text) <= GITHUB_LIMIT - 1_000, (number, len(text))  # room for the workflow's footer
        assert _balanced(text), number
        if number > 1:
            assert text.startswith(PART_MARKER.format(n=number)) and MARKER not in text
            assert f"part {number} of {len(texts)}" in text
    whole = "\n".join(texts)
    assert all(f"`{name}`" in whole for name in names)  # nothing is dropped, only split

    # Without --out, stdout carries every part (the same change again: its plans come from the cache)
    code, stdout, _ = review(scratch, capsys, "--base", "main")
    assert code == 0
    markers = re.findall(r"<!-- sagespec-review(?::part-(\d+))? -->", stdout)
    assert markers[0] == "" and len(markers) == len(texts)


def test_pack_keeps_a_small_report_whole() -> None:
    (text,) = pack(MARKER, ["## title", "body"])
    assert text == f"{MARKER}\n\n## title\n\nbody\n"


def test_fit_cuts_an_oversized_block_and_closes_what_it_opened() -> None:
    block = "<details><summary>x</summary>\n\n```diff\n" + "\n".join(f"+ line {i}" for i in range(20_000))
    cut = fit(block + "\n```\n\n</details>", 5_000)
    assert len(cut) <= 5_000
    assert _balanced(cut) and "cut here" in cut


def test_pack_splits_between_blocks() -> None:
    blocks = ["x" * 30_000, "y" * 30_000, "z" * 30_000]
    parts = pack(MARKER, blocks)
    assert len(parts) == 3 and all(len(p) <= 60_000 for p in parts)
