"""Environments outside us-east-1 are priced: eu-west-1 from the shipped catalog, ap-northeast-1 from a
catalog refreshed through the Pricing API (botocore Stubber, responses of the real GetProducts shape)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec import pipeline
from sagespec.catalog import reader as catalogs
from sagespec.commands import prices
from sagespec.cost import model as cost
from sagespec.spec.project import load_project
from tests.helpers.pricing_api import args as _args
from tests.helpers.pricing_api import hosting as _hosting
from tests.helpers.pricing_api import serverless as _serverless
from tests.helpers.pricing_api import stub_region as _stub_region
from tests.helpers.repo import fixture_repo

REALTIME = """apiVersion: sagespec/v1
kind: Model
metadata: {name: ranker, owner: search}
spec:
  container: {framework: huggingface, version: "4.49.0"}
  weights:
    huggingface: {model_id: org/ranker}
  deployment: {type: realtime, instance_type: ml.m5.xlarge, instance_count: 2}
"""

ASYNC = """apiVersion: sagespec/v1
kind: Model
metadata: {name: batcher, owner: search}
spec:
  container: {framework: tgi, version: "3.0.1"}
  weights:
    huggingface: {model_id: org/batcher}
  deployment:
    type: async
    instance_type: ml.g4dn.xlarge
    instance_count: 1
    autoscaling: {min_instances: 0, max_instances: 3, target_backlog_per_instance: 5}
"""


def _region_repo(tmp_path: Path, env: str, region: str) -> Path:
    """The fixture repository (a g5.12xlarge pool with copies, a serverless model) plus a real-time
    and an async model, and one more environment in `region`."""
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "ranker.yaml").write_text(REALTIME, encoding="utf-8")
    (root / "specs" / "models" / "batcher.yaml").write_text(ASYNC, encoding="utf-8")
    folder = root / "envs" / env
    folder.mkdir()
    (folder / "backend.hcl").write_text(f'bucket = "state-{env}"\n', encoding="utf-8")
    (folder / "env.yaml").write_text(
        f"""apiVersion: sagespec/v1
kind: Environment
metadata: {{name: {env}}}
spec:
  aws: {{region: {region}, account_id: "123456789012"}}
  artifacts: {{bucket: fixture-{env}-artifacts}}
  policy:
    allowed_instance_types: ["ml.g5.*", "ml.m5.*", "ml.g4dn.*"]
""",
        encoding="utf-8",
    )
    return root


def _costs(root: Path, env: str) -> cost.EnvCost:
    outcome = pipeline.check(load_project(root), [env])
    errors = [f.format() for f in outcome.findings if f.severity == "error"]
    assert not errors, errors
    return cost.env_cost(outcome.rendered[env])


def test_an_eu_west_1_environment_prices_every_endpoint(tmp_path: Path) -> None:
    costs = _costs(_region_repo(tmp_path, "ireland", "eu-west-1"), "ireland")
    assert costs.region == "eu-west-1" and not costs.unpriced, [e.note for e in costs.unpriced]
    by_key = {e.key: e for e in costs.endpoints}
    assert by_key["ranker"].hourly == pytest.approx(2 * 0.257)  # 2 x ml.m5.xlarge at the Ireland rate
    assert by_key["pool"].hourly == pytest.approx(7.91)
    assert by_key["batcher"].hourly == 0.0 and by_key["batcher"].hourly_max == pytest.approx(3 * 0.821)
    assert all("sagemaker-ssh-helper" in str(e.source) for e in costs.endpoints if e.instance_type)


@pytest.fixture
def refreshed_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped catalogs whose prices.json a stubbed `prices --refresh` rewrote for
    ap-northeast-1; the lookups read that copy for the length of the test."""
    folder = tmp_path / "catalog"
    shutil.copytree(catalogs.CATALOG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    pricing = boto3.client("pricing", region_name="us-east-1")
    tokyo = "ap-northeast-1"
    with Stubber(pricing) as stubber:
        # figures of the test's own making, in the API's shape; not the shipped catalog's
        _stub_region(
            stubber,
            tokyo,
            [
                _hosting(tokyo, "ml.m5.xlarge", "0.3000000000"),
                _hosting(tokyo, "ml.g5.12xlarge", "9.0000000000"),
                _hosting(tokyo, "ml.g4dn.xlarge", "1.0000000000"),
            ],
            [_serverless(tokyo, "ServerlessInf:Mem-1GB", "0.0000250000")],
        )
        monkeypatch.setattr(prices, "pricing_client", lambda: pricing)
        assert prices.run(_args(folder / "prices.json", tokyo)) == 0
        stubber.assert_no_pending_responses()
    monkeypatch.setattr(catalogs, "CATALOG_DIR", folder)
    catalogs._load.cache_clear()
    yield folder
    catalogs._load.cache_clear()  # the next test reads the shipped catalogs again


def test_an_ap_northeast_1_environment_is_priced_once_its_region_is_refreshed(
    tmp_path: Path, refreshed_catalog: Path
) -> None:
    doc: dict[str, Any] = json.loads((refreshed_catalog / "prices.json").read_text())
    assert doc["sources"][doc["instances"]["ap-northeast-1"]["ml.m5.xlarge"][1]]["url"] == "AWS Pricing API"
    costs = _costs(_region_repo(tmp_path, "tokyo", "ap-northeast-1"), "tokyo")
    assert costs.region == "ap-northeast-1" and not costs.unpriced, [e.note for e in costs.unpriced]
    by_key = {e.key: e for e in costs.endpoints}
    assert by_key["ranker"].hourly == pytest.approx(0.6)
    assert by_key["pool"].hourly == pytest.approx(9.0)
    assert by_key["batcher"].hourly_max == pytest.approx(3.0)
    assert all(str(e.source).startswith("AWS Pricing API") for e in costs.endpoints if e.instance_type)


def test_the_shipped_catalog_has_no_tokyo_figure_and_says_no_price(tmp_path: Path) -> None:
    costs = _costs(_region_repo(tmp_path, "tokyo", "ap-northeast-1"), "tokyo")
    unpriced = {e.key for e in costs.unpriced}
    assert unpriced == {"ranker", "pool", "batcher"}
    assert all("no price for" in e.note and "ap-northeast-1" in e.note for e in costs.unpriced)
