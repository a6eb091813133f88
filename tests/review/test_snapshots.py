"""The review's Markdown and JSON, byte for byte, for a few representative changes.

Each case edits a scratch copy of the example repository and runs `sagespec review` (Markdown with
`--out`, so a long report's parts are files, and `--format json`). Terraform's plans are replayed
from tests/fixtures/review-snapshots/<case>/plans.json, so the test needs no Terraform: a recording
is keyed by the digest of the renders it was planned from, and a render that changed since refuses
to replay (re-record). What is compared is the report built from those plans: how the review
explains, prices, checks and lays out a change (tests/review/test_updates.py covers the planning).

SAGESPEC_UPDATE_SNAPSHOTS=1 plans for real (the bundled Terraform and the stand-in providers),
records the plans and rewrites the snapshots; review the diff before committing it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform.offline import SOURCE_OFFLINE, EnvPlan, OfflinePlanner
from tests.review.scratch import bigger_change, edit, git, review

SNAPSHOTS = Path(__file__).resolve().parent.parent / "fixtures" / "review-snapshots"
UPDATE = os.environ.get("SAGESPEC_UPDATE_SNAPSHOTS") == "1"
COMMIT = "<base-commit>"  # the scratch base's commit depends on every file copied: not compared


def _invalid_and_over_budget(repo: Path) -> None:
    """A spec that does not validate anywhere would leave nothing to plan: break dev only (its
    policy ceiling), and add and remove specs in the others."""
    git(repo, "rm", "-q", "specs/models/bart-summarizer.yaml")
    source = (repo / "specs/models/gpt-neo-125m.yaml").read_text(encoding="utf-8")
    (repo / "specs/models/gpt-neo-copy.yaml").write_text(
        source.replace("name: gpt-neo-125m", "name: gpt-neo-copy"), encoding="utf-8"
    )
    edit(repo / "envs/dev/env.yaml", "max_hourly_cost_usd: 40", "max_hourly_cost_usd: 1")


def _downtime(repo: Path) -> None:
    """A real-time endpoint turned serverless: replaced, refused in prod (E801)."""
    edit(
        repo / "specs/models/gpt-neo-125m.yaml",
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: serverless\n    memory_mb: 4096\n    max_concurrency: 5\n",
    )


def _invalid(repo: Path) -> None:
    edit(repo / "specs/models/gpt-neo-125m.yaml", "instance_type: ml.m5.large", "instance_type: ml.m5.huge")


def _many(count: int) -> Callable[[Path], None]:
    def add(repo: Path) -> None:
        template = (repo / "specs/models/minilm-embeddings.yaml").read_text(encoding="utf-8")
        for index in range(count):
            name = f"emb-{index:03d}"
            (repo / f"specs/models/{name}.yaml").write_text(
                template.replace("name: minilm-embeddings", f"name: {name}").replace(
                    ", provisioned_concurrency: 2", ""
                ),
                encoding="utf-8",
            )

    return add


CASES: dict[str, Callable[[Path], None]] = {
    # replacements and in-place updates, cost deltas, prod's warnings, every policy passing
    "bigger-change": bigger_change,
    # added and removed specs (destroy: a caution), dev over its cost ceiling (policy failure)
    "added-removed-policy": _invalid_and_over_budget,
    # downtime refused in a protected environment
    "downtime-refused": _downtime,
    # the head does not validate: findings with file:line, no plan, cost unknown
    "invalid-spec": _invalid,
    # too long for one comment at full detail: the added specs' field lists are left out
    "shortened": _many(25),
    # too long for one comment even at the shortest: numbered parts
    "split": _many(130),
}
MARKDOWN_ONLY = {"shortened", "split"}  # their JSON (megabytes) has no layout of its own to pin


def _trimmed(plan: dict[str, Any]) -> dict[str, Any]:
    """What the review reads of a plan: each resource change's address, type, mode, reason, actions,
    replace paths and the scalar attributes before and after (names); the rest is kilobytes of state."""

    def scalars(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: v for k, v in value.items() if v is None or isinstance(v, str | int | float | bool)}

    changes = []
    for entry in plan.get("resource_changes") or []:
        change = entry.get("change") or {}
        kept = {k: entry[k] for k in ("address", "type", "mode", "action_reason") if k in entry}
        kept["change"] = {
            "actions": change.get("actions"),
            **({"replace_paths": change["replace_paths"]} if "replace_paths" in change else {}),
            "before": scalars(change.get("before")),
            "after": scalars(change.get("after")),
        }
        changes.append(kept)
    return {"format_version": plan.get("format_version"), "resource_changes": changes}


def _digest(base: Any, head: Any) -> str:
    return hashlib.sha256(json.dumps([base, head], sort_keys=True).encode()).hexdigest()


class _Plans:
    """Replays recorded plans, or (UPDATE) plans for real and records them."""

    def __init__(self, case: str) -> None:
        self.path = SNAPSHOTS / case / "plans.json"
        self.recorded: dict[str, Any] = {} if UPDATE else json.loads(self.path.read_text(encoding="utf-8"))
        self.real = OfflinePlanner.plan_env

    def method(self) -> Callable[..., EnvPlan]:
        """OfflinePlanner.plan_env's stand-in (the planner itself is the first argument)."""

        def plan_env(
            planner: OfflinePlanner, env: str, base_hcl: Path | None, head_hcl: Path, base: Any, head: Any
        ) -> EnvPlan:
            return self.plan_env(planner, env, base_hcl, head_hcl, base, head)

        return plan_env

    def plan_env(
        self, planner: OfflinePlanner, env: str, base_hcl: Path | None, head_hcl: Path, base: Any, head: Any
    ) -> EnvPlan:
        key = f"{env} {_digest(base, head)}"
        if UPDATE:
            real = self.real(planner, env, base_hcl, head_hcl, base, head)
            scope = list(real.scope) if real.scope is not None else None
            # the snapshot is made from exactly what a later run replays
            plan = EnvPlan(env, real.source, _trimmed(real.plan), real.scope)
            self.recorded[key] = {"source": plan.source, "scope": scope, "plan": plan.plan}
            return plan
        if key not in self.recorded:
            pytest.fail(
                f"{self.path}: no recorded plan of {env} for these renders (the case or the render "
                "changed); re-record with SAGESPEC_UPDATE_SNAPSHOTS=1"
            )
        entry = self.recorded[key]
        scope = tuple(entry["scope"]) if entry["scope"] is not None else None
        assert entry["source"] == SOURCE_OFFLINE
        return EnvPlan(env, entry["source"], entry["plan"], scope)

    def save(self) -> None:
        if UPDATE:
            text = json.dumps(self.recorded, sort_keys=True, separators=(",", ":")) + "\n"
            self.path.write_text(text, encoding="utf-8")


def _outputs(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, with_json: bool = True
) -> dict[str, str]:
    """The review's files: review.md, review.md.2, ... and review.json, the base commit masked."""
    commit = git(repo, "rev-parse", "main").strip()
    out = tmp_path / "out"
    out.mkdir()
    review(repo, capsys, "--base", "main", "--out", str(out / "review.md"))
    if with_json:
        review(repo, capsys, "--base", "main", "--format", "json", "--out", str(out / "review.json"))
    files = {}
    for path in sorted(out.iterdir()):
        text = path.read_text(encoding="utf-8")
        files[path.name] = text.replace(commit, COMMIT).replace(commit[:7], COMMIT)
    return files


def _compare(case: str, files: dict[str, str]) -> None:
    folder = SNAPSHOTS / case
    if UPDATE:
        for old in folder.glob("review.*"):
            old.unlink()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("review.*"))}
    assert sorted(files) == sorted(expected), f"{case}: other files than the snapshot's"
    for name, text in files.items():
        assert text == expected[name], (
            f"{folder / name} differs from this review's output; if the change is intended, "
            "rewrite it with SAGESPEC_UPDATE_SNAPSHOTS=1 and review the diff"
        )


def _run(
    case: str,
    edit_repo: Callable[[Path], None],
    scratch: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    (SNAPSHOTS / case).mkdir(parents=True, exist_ok=True)
    plans = _Plans(case)
    monkeypatch.setattr(OfflinePlanner, "plan_env", plans.method())
    edit_repo(scratch)
    files = _outputs(scratch, capsys, tmp_path, with_json=case not in MARKDOWN_ONLY)
    plans.save()
    return files


@pytest.mark.parametrize("case", sorted(CASES))
def test_review_matches_its_snapshot(
    case: str,
    scratch: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _compare(case, _run(case, CASES[case], scratch, capsys, tmp_path, monkeypatch))


def test_a_changed_input_fails_the_comparison(
    scratch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the invalid-spec case with another bad instance type gives other bytes."""
    if UPDATE:
        pytest.skip("the snapshots are being rewritten")

    def other(repo: Path) -> None:
        edit(repo / "specs/models/gpt-neo-125m.yaml", "type: ml.m5.large", "type: ml.m5.vast")

    files = _run("invalid-spec", other, scratch, capsys, tmp_path, monkeypatch)
    with pytest.raises(AssertionError, match="differs from this review's output"):
        _compare("invalid-spec", files)


def test_a_recording_does_not_replay_for_other_renders(
    scratch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control of the replay: bigger-change's plans, asked for another change, refuse."""
    if UPDATE:
        pytest.skip("the snapshots are being rewritten")
    with pytest.raises(pytest.fail.Exception, match="no recorded plan of"):
        _run("bigger-change", _downtime, scratch, capsys, tmp_path, monkeypatch)
