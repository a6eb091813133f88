"""Review of a base whose model weights are not in git (they never are): the lock stands for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagespec.artifacts import lockfile
from tests.review.scratch import commit_all, review_json

MODEL = "flan-t5-biography"  # local weights (git-ignored, absent here) + a code folder in git


def _notes(doc: dict[str, object]) -> list[str]:
    notes = doc["notes"]
    assert isinstance(notes, list)
    return [str(n) for n in notes]


def test_base_without_weights_renders_from_its_lock(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not (scratch / "models" / MODEL / "weights").exists()
    entry = lockfile.read_lock(scratch)[MODEL]
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    notes = _notes(doc)
    assert not [n for n in notes if "does not validate" in n]
    assert any(
        f"specs/models/{MODEL}.yaml" in n and "committed specs/artifacts.lock.json" in n for n in notes
    )
    assert {e["base_origin"] for e in doc["environments"]} == {"render"}
    assert all(e["status"] == "unchanged" for e in doc["environments"])
    rendered = json.loads((scratch / "envs/dev/rendered.tfvars.json").read_text())
    assert entry.sha256 in rendered["models"][MODEL]["model_data"]["s3_uri"]


def test_base_whose_lock_misses_a_model_is_compared_by_its_committed_render(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_path = scratch / lockfile.LOCK_FILE
    full = lock_path.read_text()
    lock = json.loads(full)
    del lock["artifacts"][MODEL]
    lock_path.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    commit_all(scratch, "a base from before the lock knew the model")
    lock_path.write_text(full)  # the pull request adds the lock entry
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    notes = _notes(doc)
    assert not [n for n in notes if "does not validate" in n]
    assert any("model files are not in git and its lock does not cover them" in n for n in notes)
    assert {e["base_origin"] for e in doc["environments"]} == {"committed"}
