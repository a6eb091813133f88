"""Cost rows and totals: no price is shown as such, never guessed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sagespec import pipeline
from sagespec.catalog import reader as catalogs
from sagespec.review import costing, policy_check, price_sources
from sagespec.review.money import signed, usd
from sagespec.review.report_text import code
from sagespec.spec.project import load_project

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def staging() -> dict[str, Any]:
    return pipeline.check(load_project(REPO), ["staging"]).rendered["staging"]


def test_unpriced_instance_has_no_delta_and_is_not_counted(staging: dict[str, Any]) -> None:
    head = copy.deepcopy(staging)
    head["endpoints"]["gpt-neo-125m"]["instance_type"] = "ml.made-up.xlarge"
    diff = costing.env_cost_diff("staging", staging, head)
    row = next(r for r in diff.rows if r.key == "gpt-neo-125m")
    assert row.hourly_head is None and row.priced_head is False and row.delta is None
    assert diff.head is not None and diff.head.unpriced == 1 and diff.head.unpriced_keys == ("gpt-neo-125m",)
    # priced in the base, unpriced in the head: left out of the delta, never "the whole cost saved"
    assert diff.delta_hourly == pytest.approx(0.0)
    assert [r.key for r in diff.unpriced_rows] == ["gpt-neo-125m"] and not diff.complete


def test_pool_row_lists_its_components_and_max(staging: dict[str, Any]) -> None:
    diff = costing.env_cost_diff("staging", staging, staging)
    pool = next(r for r in diff.rows if r.key == "gpu-pool")
    assert pool.components == ("mistral-7b-instruct x4",)
    price = catalogs.instance_price("ml.g5.12xlarge", "us-east-1")
    assert price is not None
    # max_copies 4 x 1 GPU still fits one 4-GPU instance: the copy autoscaling cannot force a second
    assert pool.hourly_max_head == pytest.approx(price.usd_per_hour)
    assert [(s.key, s.copies) for s in pool.shares] == [("mistral-7b-instruct", 4)]
    assert pool.shares[0].hourly == pytest.approx(price.usd_per_hour)  # the only tenant pays it all


def test_a_budget_row_keeps_sub_cent_figures(staging: dict[str, Any]) -> None:
    # gpt-neo-125m runs one ml.m5.large ($0.115/h): rounded to cents it would read "$0.12/h > $0.12/h"
    diff = costing.env_cost_diff("staging", staging, staging)
    for limit, status, sign in ((0.12, "pass", "≤"), (0.11, "fail", ">")):
        checks = policy_check.check_env("staging", {}, staging, diff, [], {"gpt-neo-125m": limit})
        budget = next(c for c in checks if c.rule == "model budgets")
        assert (budget.status, budget.detail) == (status, f"gpt-neo-125m: $0.115/h {sign} ${limit:.2f}/h")


def test_sources_name_url_date_and_figures(staging: dict[str, Any]) -> None:
    sources = price_sources.price_sources([staging])
    assert sources and all(s.url.startswith("https://") and s.as_of for s in sources)
    assert any("ml.g5.12xlarge (us-east-1): $" in line for s in sources for line in s.priced)


def test_assumptions_come_from_the_cost_model() -> None:
    text = price_sources.assumptions()
    assert "730 hours" in text and "provisioned concurrency" in text and not text.startswith("Assumptions")


def test_money_formatting() -> None:
    assert usd(0.115) == "$0.115" and usd(7.09) == "$7.09" and usd(None) == "no price"
    assert usd(30160.096, cents=True) == "$30,160.10"
    assert signed(5175.7) == "+$5,175.70" and signed(-0.115) == "-$0.115" and signed(0.0) == "$0.00"
    assert signed(None) == "n/a"


def test_inline_code_survives_backticks_and_pipes() -> None:
    assert code("a|b") == "`a\\|b`"
    assert code("x``y") == "```x``y```"
    assert code("`edge`") == "`` `edge` ``"
