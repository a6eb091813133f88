"""`sagespec prices --refresh` against botocore's Stubber (real Pricing API request and response shapes)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec import cli
from sagespec.catalog import pricing_api
from sagespec.commands import prices
from sagespec.errors import SagespecError
from tests.helpers.pricing_api import args as _args
from tests.helpers.pricing_api import hosting as _hosting
from tests.helpers.pricing_api import item as _item
from tests.helpers.pricing_api import serverless as _serverless
from tests.helpers.pricing_api import stub_region as _stub_region


@pytest.fixture
def client() -> Iterator[tuple[Any, Stubber]]:
    pricing = boto3.client("pricing", region_name="us-east-1")
    with Stubber(pricing) as stubber:
        yield pricing, stubber
        stubber.assert_no_pending_responses()


def test_refresh_writes_api_prices_and_keeps_other_regions(
    client: tuple[Any, Stubber],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pricing, stubber = client
    _stub_region(
        stubber,
        "eu-west-1",
        [
            _hosting("eu-west-1", "ml.g5.12xlarge", "7.9400000000"),
            _hosting("eu-west-1", "ml.m5.large", "0.1290000000"),
            _hosting("eu-west-1", "ml.dup.large", "1.0000000000"),
            _hosting("eu-west-1", "ml.dup.large", "2.0000000000"),
        ],
        [
            _serverless("eu-west-1", "ServerlessInf:Mem-2GB", "0.0000440000"),
            _serverless("eu-west-1", "ServerlessInf:Mem-1GB", "0.0000220000"),
            _serverless("eu-west-1", "ProvisionedConcurrency:Usage-1GB", "0.0000050000"),
        ],
    )
    monkeypatch.setattr(prices, "pricing_client", lambda: pricing)
    out = tmp_path / "prices.json"

    assert prices.run(_args(out, "eu-west-1")) == 0

    doc = json.loads(out.read_text())
    key = doc["instances"]["eu-west-1"]["ml.g5.12xlarge"][1]
    assert doc["instances"]["eu-west-1"] == {"ml.g5.12xlarge": [7.94, key], "ml.m5.large": [0.129, key]}
    assert doc["sources"][key]["url"] == "AWS Pricing API"
    assert doc["sources"][key]["as_of"] == doc["_meta"]["generated"]
    assert doc["serverless"]["eu-west-1"] == [pytest.approx(0.000022), pytest.approx(0.000005), key]
    # the shipped us-east-1 figures and their sources survive a refresh of another region
    assert doc["instances"]["us-east-1"]["ml.g5.12xlarge"][0] == 7.09
    assert doc["serverless"]["us-east-1"][0] == pytest.approx(0.00002)
    assert {"fmbench", "infracost"} <= set(doc["sources"])
    output = capsys.readouterr().out
    assert "ml.dup.large: several on-demand hosting prices, left out" in output
    assert "eu-west-1: 2 instance types, serverless priced" in output


def test_refreshing_a_region_drops_sources_nobody_cites(
    client: tuple[Any, Stubber], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pricing, stubber = client
    _stub_region(stubber, "us-east-1", [_hosting("us-east-1", "ml.g5.12xlarge", "7.0900000000")], [])
    monkeypatch.setattr(prices, "pricing_client", lambda: pricing)
    out = tmp_path / "prices.json"

    assert prices.run(_args(out, "us-east-1")) == 0

    doc = json.loads(out.read_text())
    assert list(doc["instances"]["us-east-1"]) == ["ml.g5.12xlarge"]
    assert "us-east-1" not in doc["serverless"]  # the API had no serverless product there
    api = doc["instances"]["us-east-1"]["ml.g5.12xlarge"][1]
    # fmbench and infracost priced only us-east-1 (and its serverless): gone; other regions keep theirs
    others = {
        fig[1]
        for region, table in doc["instances"].items()
        if region != "us-east-1"
        for fig in table.values()
    }
    assert "fmbench" not in doc["sources"] and "infracost" not in doc["sources"]
    assert set(doc["sources"]) == {api, *others} and "sagemaker-ssh-helper" in others


def test_api_errors_become_usage_errors(
    client: tuple[Any, Stubber], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pricing, stubber = client
    stubber.add_client_error(
        "get_products",
        service_error_code="AccessDeniedException",
        service_message="not authorized to perform pricing:GetProducts",
        http_status_code=400,
    )
    monkeypatch.setattr(prices, "pricing_client", lambda: pricing)
    out = tmp_path / "prices.json"
    with pytest.raises(SagespecError, match="pricing:GetProducts"):
        prices.run(_args(out, "us-east-1"))
    assert not out.exists()


def test_no_credentials_is_a_clear_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    out = tmp_path / "prices.json"
    assert cli.main(["prices", "--refresh", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no AWS credentials" in err and "hint:" in err
    assert not out.exists()


def test_without_refresh_it_shows_coverage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    prices.add_arguments(parser)
    assert prices.run(parser.parse_args(["--out", str(tmp_path / "missing.json")])) == 0
    output = capsys.readouterr().out
    assert "us-east-1:" in output and "serverless priced" in output and "https://" in output
    assert not (tmp_path / "missing.json").exists()


def test_price_parsing_ignores_zero_and_other_units() -> None:
    items = [
        json.loads(_hosting("us-east-1", "ml.g5.xlarge", "0.0000000000")),
        json.loads(_item({"instanceName": "ml.g5.2xlarge"}, "GB-Mo", "0.14")),
        json.loads(_item({"instanceName": "notebook"}, "Hrs", "1.0")),
    ]
    assert pricing_api.hosting_prices(items) == ({}, set())


def test_default_refresh_reads_every_commercial_region_in_one_run(
    client: tuple[Any, Stubber], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pricing, stubber = client
    regions = pricing_api.commercial_regions()
    assert {"us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1"} <= set(regions)
    assert not [r for r in regions if r.startswith(("cn-", "us-gov-", "us-iso"))]  # other partitions
    for index, region in enumerate(regions):
        usd = f"{1 + index / 100:.4f}"  # a distinct figure per region, to see each land in its place
        _stub_region(
            stubber,
            region,
            [_hosting(region, "ml.m5.xlarge", usd), _hosting(region, "ml.g5.xlarge", "2.0000000000")],
            [_serverless(region, "ProvisionedConcurrency:Usage-2GB", "0.0000240000")],
        )
    monkeypatch.setattr(prices, "pricing_client", lambda: pricing)
    out = tmp_path / "prices.json"

    assert prices.run(_args(out)) == 0  # no --region: every region, one run

    doc = json.loads(out.read_text())
    assert sorted(doc["instances"]) == regions
    for index, region in enumerate(regions):
        assert doc["instances"][region]["ml.m5.xlarge"][0] == pytest.approx(1 + index / 100), region
    # no on-demand serverless product in the responses: the region has no serverless row
    assert doc["serverless"] == {}
