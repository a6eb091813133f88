"""The review's cost is one a platform team can trust: the full pool adds an instance and says what it
costs, unpriced endpoints are named and left out of every delta, and a one-spec change in the 1,000-spec
benchmark repository fits one comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec.bench import run as bench
from sagespec.catalog import reader as catalogs
from sagespec.review.report_split import GITHUB_LIMIT
from tests.helpers.repo import findings_json
from tests.review.scratch import commit_all, edit, init, review, review_json

MISTRAL = Path("specs") / "models" / "mistral-7b-instruct.yaml"
POOL = Path("specs") / "endpoints" / "gpu-pool.yaml"


def _rate(instance_type: str) -> float:
    price = catalogs.instance_price(instance_type, "us-east-1")
    assert price is not None
    return price.usd_per_hour


def _headline(md: str) -> str:
    return next(line for line in md.splitlines() if " · cost: " in line)


def _two_more_copies(repo: Path) -> None:
    """The issue's case: 6 copies of 1 GPU where one 4-GPU ml.g5.12xlarge held 4."""
    edit(repo / MISTRAL, "    copies: 4\n", "    copies: 6\n")
    edit(repo / MISTRAL, "max_copies: 4", "max_copies: 6")


def test_the_full_pool_shows_the_added_instance_and_its_cost(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_more_copies(scratch)
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    for env in ("staging", "prod"):  # managed scaling may grow the pool to 2 there
        cost = next(e for e in doc["environments"] if e["env"] == env)["cost"]
        pool = next(r for r in cost["endpoints"] if r["key"] == "gpu-pool")
        assert (pool["base"]["instances"], pool["head"]["instances"]) == (1, 2)
        assert pool["hourly_usd"]["delta"] == pytest.approx(_rate("ml.g5.12xlarge"))
        assert cost["monthly_usd"]["delta"] == pytest.approx(5175.70)
    warned = [f for f in doc["findings"] if f["code"] == "W408"]
    assert len(warned) == 1 and warned[0]["file"] == str(MISTRAL) and warned[0]["line"] == 24
    assert warned[0]["envs"] == ["prod", "staging"] and "managed scaling adds 1" in warned[0]["message"]
    _, md, _ = review(scratch, capsys, "--base", "main")
    assert "ml.g5.12xlarge x1 → ml.g5.12xlarge x2 (**+1 instance**)" in md
    assert "(+$10,351.40)" in _headline(md)  # +$5,175.70 in staging and in prod


def test_a_pool_that_cannot_grow_fails_in_every_environment_at_the_copies_line(repo_copy: Path) -> None:
    _two_more_copies(repo_copy)
    edit(repo_copy / MISTRAL, "    deployment: {copies: 1, autoscaling: null}\n", "    deployment: {}\n")
    edit(repo_copy / POOL, "  managed_scaling: {min_instances: 1, max_instances: 2}\n", "")
    edit(repo_copy / POOL, "    managed_scaling: {min_instances: 1, max_instances: 1}\n", "")
    code, findings = findings_json(repo_copy)
    assert code == 1
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors and all((f["file"], f["line"], f["code"]) == (str(MISTRAL), 24, "E404") for f in errors)
    envs = sorted(e for f in errors for e in (f["envs"] or ["dev", "prod", "staging"]))
    assert envs == ["dev", "prod", "staging"]  # each env once; staging and prod share one finding
    by_envs = {tuple(f["envs"]): f["message"] for f in errors}
    assert "need 2 x ml.g5.12xlarge (6 accelerators in all, 4 per instance)" in by_envs[("prod", "staging")]
    assert "need 6 x ml.g5.2xlarge (6 accelerators in all, 1 per instance)" in by_envs[("dev",)]
    assert "mistral" not in " ".join(by_envs.values())  # no user value quoted


def test_unpriced_endpoints_are_named_and_left_out_of_the_delta(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / "specs" / "models" / "gpt-neo-125m.yaml",
        "instance_type: ml.m5.large",
        "instance_type: ml.c5.xlarge",  # on every allow-list, no sourced price
    )
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    money = doc["summary"]["monthly_usd"]
    assert money["complete"] is False and money["delta"] == 0.0
    assert money["unpriced"] == ["dev/gpt-neo-125m", "prod/gpt-neo-125m", "staging/gpt-neo-125m"]
    prod = next(e for e in doc["environments"] if e["env"] == "prod")["cost"]
    row = next(r for r in prod["endpoints"] if r["key"] == "gpt-neo-125m")
    assert row["priced"] is False and row["priced_sides"] == {"base": True, "head": False}
    assert row["hourly_usd"]["delta"] is None and prod["complete"] is False
    assert all(r["priced"] for r in prod["endpoints"] if r["key"] != "gpt-neo-125m")
    _, md, _ = review(scratch, capsys, "--base", "main")
    headline = _headline(md)
    assert "over the endpoints priced on both sides" in headline
    assert "3 endpoints without a price, not counted: `dev/gpt-neo-125m`" in headline


def test_no_change_prices_completely(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0 and doc["summary"]["monthly_usd"]["complete"] is True
    assert doc["summary"]["monthly_usd"]["unpriced"] == []
    budgets = [p for e in doc["environments"] for p in e["policy"] if p["rule"] == "model budgets"]
    assert len(budgets) == 3 and all(p["status"] == "pass" for p in budgets)
    assert all("flan-t5-biography: $" in p["detail"] for p in budgets)


def test_a_budget_without_a_price_cannot_be_checked(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / "specs" / "models" / "flan-t5-biography.yaml",
        "instance_type: ml.m5.xlarge",
        "instance_type: ml.c5.xlarge",
    )
    code, doc = review_json(scratch, capsys, "--base", "main")
    budgets = [p for e in doc["environments"] for p in e["policy"] if p["rule"] == "model budgets"]
    assert budgets and all(p["status"] == "cannot check" for p in budgets), budgets
    assert all("flan-t5-biography: cannot check (no price)" in p["detail"] for p in budgets)
    assert code == 0


def test_one_spec_change_in_the_benchmark_repository_fits_one_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = init(bench.generate(tmp_path / "bench", 1000))
    edit(repo / "specs" / "models" / "model-0001.yaml", "instance_count: 1", "instance_count: 2")
    out = tmp_path / "review.md"
    code, _, err = review(repo, capsys, "--base", "main", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert not (tmp_path / "review.md.2").exists() and len(text) <= GITHUB_LIMIT
    assert "Shortened" not in text  # it fits at full detail
    assert "`model-0001`" in text and "endpoints unchanged" in text
    commit_all(repo, "unused")  # the repository stays usable for a second run
