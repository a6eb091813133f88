"""Read SageMaker hosting and serverless prices from the AWS Price List API (service AmazonSageMaker).

Filters as public tools use them: hosting instances are products with `component` "Hosting"
and an `instanceName` (awslabs/llmeter); serverless products are family "ML Serverless" with
usage types `...ServerlessInf:Mem-<N>GB` (on-demand compute, per second) and
`...ProvisionedConcurrency:Usage-<N>GB` (provisioned concurrency kept warm, per second)
(infracost, aws_sagemaker_endpoint_configuration). Prices per second for N GB become per GB-second.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

SERVICE_CODE = "AmazonSageMaker"
ON_DEMAND_MEMORY = re.compile(r"ServerlessInf:Mem-(\d+)GB$")
PROVISIONED_MEMORY = re.compile(r"ProvisionedConcurrency:Usage-(\d+)GB$")

Json = dict[str, Any]


def on_demand_usd(item: Json, *units: str) -> float | None:
    """The single positive on-demand USD price in one of `units` of a price-list item, else None."""
    wanted = {unit.lower() for unit in units}
    prices = [
        float(dimension["pricePerUnit"]["USD"])
        for term in item.get("terms", {}).get("OnDemand", {}).values()
        for dimension in term.get("priceDimensions", {}).values()
        if dimension.get("unit", "").lower() in wanted and "USD" in dimension.get("pricePerUnit", {})
    ]
    positive = {p for p in prices if p > 0}
    return positive.pop() if len(positive) == 1 else None


def products(client: Any, filters: dict[str, str]) -> Iterator[Json]:
    """Every product matching exact attribute filters, across pages."""
    api_filters = [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in filters.items()]
    for page in client.get_paginator("get_products").paginate(ServiceCode=SERVICE_CODE, Filters=api_filters):
        for raw in page.get("PriceList", []):
            yield json.loads(raw) if isinstance(raw, str) else raw


def hosting_prices(items: Iterable[Json]) -> tuple[dict[str, float], set[str]]:
    """(instance type -> USD/hour, types with conflicting prices, which are left out)."""
    found: dict[str, set[float]] = {}
    for item in items:
        attributes = item.get("product", {}).get("attributes", {})
        name = attributes.get("instanceName") or attributes.get("instanceType") or ""
        price = on_demand_usd(item, "Hrs")
        if name.startswith("ml.") and price is not None:
            found.setdefault(name, set()).add(price)
    conflicts = {name for name, prices in found.items() if len(prices) > 1}
    return {n: p.pop() for n, p in sorted(found.items()) if n not in conflicts}, conflicts


def serverless_prices(items: Iterable[Json]) -> tuple[float | None, float | None]:
    """(on-demand USD per GB-second, provisioned-concurrency USD per GB-second), from the smallest size."""
    on_demand: dict[int, float] = {}
    provisioned: dict[int, float] = {}
    for item in items:
        usage = item.get("product", {}).get("attributes", {}).get("usagetype", "")
        for pattern, table in ((ON_DEMAND_MEMORY, on_demand), (PROVISIONED_MEMORY, provisioned)):
            match = pattern.search(usage)
            price = on_demand_usd(item, "Second", "Seconds") if match else None
            if match and price is not None:
                table[int(match.group(1))] = price / int(match.group(1))
    return _smallest(on_demand), _smallest(provisioned)


def _smallest(per_gb: dict[int, float]) -> float | None:
    return per_gb[min(per_gb)] if per_gb else None


def commercial_regions() -> list[str]:
    """Every region of the aws partition where botocore knows a SageMaker endpoint (offline data)."""
    import boto3  # botocore's endpoint data: no network, no credentials

    return sorted(boto3.session.Session().get_available_regions("sagemaker", partition_name="aws"))


def fetch_region(
    client: Any, region: str
) -> tuple[dict[str, float], set[str], tuple[float | None, float | None]]:
    hosting, conflicts = hosting_prices(products(client, {"regionCode": region, "component": "Hosting"}))
    serverless = serverless_prices(products(client, {"regionCode": region, "productFamily": "ML Serverless"}))
    return hosting, conflicts, serverless
