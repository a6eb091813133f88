"""Pricing API responses of the real GetProducts shape (PriceList items are JSON strings), for Stubber."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from botocore.stub import Stubber

from sagespec.commands import prices


def item(attributes: dict[str, str], unit: str, usd: str, family: str = "ML Instance") -> str:
    """One PriceList entry as GetProducts returns it: a JSON document in a string."""
    sku = "SKU" + str(abs(hash(json.dumps(attributes, sort_keys=True))) % 10**8)
    term = f"{sku}.JRTCKXETXF"
    return json.dumps(
        {
            "product": {
                "productFamily": family,
                "attributes": {"servicecode": "AmazonSageMaker", **attributes},
                "sku": sku,
            },
            "serviceCode": "AmazonSageMaker",
            "terms": {
                "OnDemand": {
                    term: {
                        "priceDimensions": {
                            f"{term}.6YS6EN2CT7": {
                                "unit": unit,
                                "endRange": "Inf",
                                "beginRange": "0",
                                "appliesTo": [],
                                "description": f"${usd} per {unit}",
                                "rateCode": f"{term}.6YS6EN2CT7",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-11-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20261101000000",
            "publicationDate": "2026-11-01T00:00:00Z",
        }
    )


def hosting(region: str, name: str, usd: str) -> str:
    return item(
        {
            "regionCode": region,
            "component": "Hosting",
            "instanceName": name,
            "usagetype": f"USE1-Host:{name}",
            "operation": "RunInstance",
        },
        "Hrs",
        usd,
    )


def serverless(region: str, usage: str, usd: str) -> str:
    return item({"regionCode": region, "usagetype": f"USE1-{usage}"}, "Second", usd, family="ML Serverless")


def filters(**terms: str) -> list[dict[str, str]]:
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in terms.items()]


def stub_region(stubber: Stubber, region: str, hosting: list[str], serverless: list[str]) -> None:
    # hosting in two pages, to exercise the paginator
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": hosting[:1], "NextToken": "t1"},
        {"ServiceCode": "AmazonSageMaker", "Filters": filters(regionCode=region, component="Hosting")},
    )
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": hosting[1:]},
        {
            "ServiceCode": "AmazonSageMaker",
            "NextToken": "t1",
            "Filters": filters(regionCode=region, component="Hosting"),
        },
    )
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": serverless},
        {
            "ServiceCode": "AmazonSageMaker",
            "Filters": filters(regionCode=region, productFamily="ML Serverless"),
        },
    )


def args(out: Path, *regions: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    prices.add_arguments(parser)
    return parser.parse_args(["--refresh", "--out", str(out), *[a for r in regions for a in ("--region", r)]])
