"""The cost model counts what SageMaker runs: packed pools, chargeback, async at its minimum,
provisioned concurrency, idle pools, and an instance-type change on an autoscaled endpoint."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sagespec import pipeline
from sagespec.catalog import reader as catalogs
from sagespec.cost import model as cost
from sagespec.review import costing
from sagespec.spec.project import load_project
from tests.review.scratch import edit

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def renders() -> dict[str, dict[str, Any]]:
    return dict(pipeline.check(load_project(REPO), ["dev", "staging", "prod"]).rendered)


def _rate(instance_type: str, region: str = "us-east-1") -> float:
    price = catalogs.instance_price(instance_type, region)
    assert price is not None, instance_type
    return price.usd_per_hour


def _by_key(rendered: dict[str, Any]) -> dict[str, cost.EndpointCost]:
    return {e.key: e for e in cost.env_cost(rendered).endpoints}


def test_every_example_environment_prices_every_endpoint(renders: dict[str, dict[str, Any]]) -> None:
    for env, rendered in renders.items():
        costs = cost.env_cost(rendered)
        assert not costs.unpriced, (env, [(e.key, e.note) for e in costs.unpriced])


def test_the_full_pool_case_needs_a_second_instance(renders: dict[str, dict[str, Any]]) -> None:
    prod = copy.deepcopy(renders["prod"])
    prod["inference_components"]["mistral-7b-instruct"]["copies"] = 6  # 6 x 1 GPU on a 4-GPU g5.12xlarge
    pool = _by_key(prod)["gpu-pool"]
    assert (pool.initial_instances, pool.instances) == (1, 2)
    assert pool.hourly == pytest.approx(2 * _rate("ml.g5.12xlarge"))
    assert "managed scaling adds 1 instance(s)" in pool.note
    diff = costing.env_cost_diff("prod", renders["prod"], prod)
    assert diff.delta_monthly == pytest.approx(_rate("ml.g5.12xlarge") * 730)  # +$5,175.70


def test_a_pool_never_exceeds_what_managed_scaling_allows(renders: dict[str, dict[str, Any]]) -> None:
    prod = copy.deepcopy(renders["prod"])
    component = prod["inference_components"]["mistral-7b-instruct"]
    component["autoscaling"]["max_capacity"] = 12  # would need 3 instances; managed scaling stops at 2
    pool = _by_key(prod)["gpu-pool"]
    assert (pool.instances, pool.max_instances) == (1, 2)
    assert pool.hourly_max == pytest.approx(2 * _rate("ml.g5.12xlarge"))


def test_the_copy_autoscaling_maximum_sets_the_pool_maximum(renders: dict[str, dict[str, Any]]) -> None:
    prod = copy.deepcopy(renders["prod"])
    pool = _by_key(prod)["gpu-pool"]
    assert pool.max_instances == 1  # max_copies 4 x 1 GPU still fits one instance
    prod["inference_components"]["mistral-7b-instruct"]["autoscaling"]["max_capacity"] = 5
    assert _by_key(prod)["gpu-pool"].max_instances == 2


def test_inference_components_are_charged_their_share_of_the_pool(renders: dict[str, dict[str, Any]]) -> None:
    prod = copy.deepcopy(renders["prod"])
    second = copy.deepcopy(prod["inference_components"]["mistral-7b-instruct"])
    second.update({"copies": 1, "accelerators": 2, "name": "big-prod"})
    prod["inference_components"]["big"] = second  # 4 + 2 GPUs: two instances
    pool = _by_key(prod)["gpu-pool"]
    shares = dict(pool.shares)
    assert pool.instances == 2
    assert sum(v or 0.0 for v in shares.values()) == pytest.approx(pool.hourly or 0.0)
    # by the GPUs reserved: 4 of 6 and 2 of 6
    assert shares["mistral-7b-instruct"] == pytest.approx(pool.hourly * 4 / 6)  # type: ignore[operator]
    assert shares["big"] == pytest.approx(pool.hourly * 2 / 6)  # type: ignore[operator]


def test_an_idle_pool_is_flagged_and_still_billed(renders: dict[str, dict[str, Any]]) -> None:
    prod = copy.deepcopy(renders["prod"])
    prod["inference_components"] = {}
    pool = _by_key(prod)["gpu-pool"]
    assert pool.idle and "idle" in pool.note
    assert pool.hourly == pytest.approx(_rate("ml.g5.12xlarge"))


def test_async_that_scales_to_zero_is_priced_at_its_minimum_with_the_burst_at_its_maximum(
    renders: dict[str, dict[str, Any]],
) -> None:
    bart = _by_key(renders["prod"])["bart-summarizer"]
    assert (bart.instances, bart.max_instances, bart.hourly) == (0, 4, 0.0)
    assert bart.hourly_max == pytest.approx(4 * _rate("ml.g5.xlarge"))  # async bills the hosting rate


def test_serverless_provisioned_concurrency_is_priced_per_gb_second(
    renders: dict[str, dict[str, Any]],
) -> None:
    minilm = _by_key(renders["prod"])["minilm-embeddings"]
    price = catalogs.serverless_price("us-east-1")
    assert price is not None and price.usd_per_gb_second_provisioned is not None
    # 2 warm concurrencies x 6 GB x 3,600 s
    assert minilm.hourly == pytest.approx(2 * 6 * 3600 * price.usd_per_gb_second_provisioned)
    assert _by_key(renders["dev"])["minilm-embeddings"].hourly == 0.0  # none provisioned: idle costs 0


def test_an_instance_type_change_on_an_autoscaled_endpoint_says_capacity_drops(
    renders: dict[str, dict[str, Any]],
) -> None:
    head = copy.deepcopy(renders["prod"])
    head["endpoints"]["flan-t5-biography"]["instance_type"] = "ml.m5.large"  # autoscaled 1..3
    diff = costing.env_cost_diff("prod", renders["prod"], head)
    row = next(r for r in diff.rows if r.key == "flan-t5-biography")
    assert "capacity drops to the new config's initial 1 x ml.m5.large" in row.note
    assert _rate("ml.m5.large") == pytest.approx(0.115)  # the catalog's figure (infracost's golden file)
    assert "($0.115/h meanwhile)" in row.note  # as precise as the table's $/h columns, not "$0.12/h"
    falcon = copy.deepcopy(renders["prod"])
    falcon["endpoints"]["falcon-40b"]["instance_type"] = "ml.g5.48xlarge"  # not autoscaled: no such note
    rows = costing.env_cost_diff("prod", renders["prod"], falcon).rows
    row = next(r for r in rows if r.key == "falcon-40b")
    assert "capacity drops" not in row.note


def test_moving_from_an_unpriced_to_a_priced_type_is_not_a_delta(renders: dict[str, dict[str, Any]]) -> None:
    base = copy.deepcopy(renders["prod"])
    base["endpoints"]["gpt-neo-125m"]["instance_type"] = "ml.c5.large"  # no sourced figure
    diff = costing.env_cost_diff("prod", base, renders["prod"])
    row = next(r for r in diff.rows if r.key == "gpt-neo-125m")
    assert row.priced is False and row.delta is None
    assert diff.delta_hourly == pytest.approx(0.0) and [r.key for r in diff.unpriced_rows] == ["gpt-neo-125m"]
    line = costing.headline([diff])
    assert line.unpriced == ("prod/gpt-neo-125m",) and not line.complete


def test_an_inference_component_over_its_budget_fails_validation_by_its_share(repo_copy: Path) -> None:
    mistral = repo_copy / "specs" / "models" / "mistral-7b-instruct.yaml"
    edit(mistral, "  smoke_test:\n", "  budget: {max_hourly_usd: 5.0}\n  smoke_test:\n")
    outcome = pipeline.check(load_project(repo_copy), ["prod"])
    over = [f for f in outcome.findings if f.code == "E605"]
    # the only tenant of a $7.09/h pool carries all of it
    assert len(over) == 1 and over[0].file == "specs/models/mistral-7b-instruct.yaml"
    # the share is ours to say; the budget is the spec's value, which findings never quote
    assert over[0].message == "this model may cost $7.09/hour, above its budget (budget.max_hourly_usd)"
    assert over[0].path == "spec.budget.max_hourly_usd"


def test_a_pool_nothing_runs_on_is_flagged_idle_in_validation(repo_copy: Path) -> None:
    (repo_copy / "specs" / "models" / "mistral-7b-instruct.yaml").unlink()
    outcome = pipeline.check(load_project(repo_copy))
    idle = [f for f in outcome.findings if f.code == "W409"]
    # dev's overlay sets its own instance_type, so dev's warning points at that line
    assert {(f.file, f.envs) for f in idle} == {
        ("specs/endpoints/gpu-pool.yaml", ("dev",)),
        ("specs/endpoints/gpu-pool.yaml", ("prod", "staging")),
    }
    assert all("bill while idle" in f.message for f in idle)
    pool = _by_key(outcome.rendered["prod"])["gpu-pool"]
    assert pool.idle and pool.hourly == pytest.approx(_rate("ml.g5.12xlarge"))
