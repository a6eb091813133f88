"""The price catalog: what it covers, and a refresh of some regions from the AWS Pricing API.

The workflow of `sagespec prices` (commands/prices.py parses its arguments).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from . import pricing_api
from . import reader as catalogs
from .reader import CATALOG_DIR

PRICES = CATALOG_DIR / "prices.json"
API_SOURCE = "AWS Pricing API"

Json = dict[str, Any]


def load(path: Path) -> Json:
    source = path if path.exists() else PRICES
    doc: Json = json.loads(source.read_text(encoding="utf-8"))
    return doc


def pricing_client() -> Any:
    import boto3  # only for --refresh

    session = boto3.Session()
    if session.get_credentials() is None:
        raise SagespecError(
            "no AWS credentials: `sagespec prices --refresh` reads the AWS Pricing API",
            "configure credentials (AWS_PROFILE, `aws sso login`, ...) or keep the shipped "
            "prices.json, which needs none",
        )
    return session.client("pricing", region_name="us-east-1")  # the Price List API lives in us-east-1


def refresh(doc: Json, client: Any, regions: list[str], today: str) -> Json:
    """The catalog with each region's figures replaced by the API's; other regions keep theirs."""
    from botocore.exceptions import BotoCoreError, ClientError

    key = f"aws-pricing-api-{today}"
    instances, serverless = dict(doc["instances"]), dict(doc["serverless"])
    for region in regions:
        try:
            hosting, conflicts, (on_demand, provisioned) = pricing_api.fetch_region(client, region)
        except (ClientError, BotoCoreError) as exc:
            raise SagespecError(
                f"AWS Pricing API: {exc}",
                "the credentials need pricing:GetProducts; check them and the network",
            ) from exc
        for name in sorted(conflicts):
            print(f"{region}: {name}: several on-demand hosting prices, left out")
        instances[region] = {name: [usd, key] for name, usd in hosting.items()}
        if on_demand is not None:
            serverless[region] = [on_demand, provisioned, key]
        else:
            serverless.pop(region, None)
    sources = dict(doc["sources"])
    sources[key] = {
        "url": API_SOURCE,
        "as_of": today,
        "note": "ServiceCode AmazonSageMaker: component Hosting (USD/Hrs); family ML Serverless",
    }
    return assemble(doc["_meta"], sources, instances, serverless, today)


def assemble(meta: Json, sources: Json, instances: Json, serverless: Json, today: str) -> Json:
    """A sorted document keeping only the sources some figure still cites."""
    instances = {r: dict(sorted(instances[r].items())) for r in sorted(instances) if instances[r]}
    serverless = dict(sorted(serverless.items()))
    cited = {fig[-1] for table in instances.values() for fig in table.values()}
    cited |= {fig[-1] for fig in serverless.values()}
    return {
        "_meta": {**meta, "generated": today},
        "sources": {k: sources[k] for k in sorted(sources) if k in cited},
        "instances": instances,
        "serverless": serverless,
    }


def summary(doc: Json) -> str:
    known = len(catalogs.instance_types())
    lines = [f"price catalog (updated {doc['_meta']['generated']}); hosting types SageMaker knows: {known}"]
    for region in sorted({*doc["instances"], *doc["serverless"]}):
        count = len(doc["instances"].get(region, {}))
        serverless = "serverless priced" if region in doc["serverless"] else "no serverless price"
        lines.append(f"  {region}: {count} instance types, {serverless}")
    missing = sorted(set(pricing_api.commercial_regions()) - {*doc["instances"], *doc["serverless"]})
    if missing:
        lines.append(f"  no price at all in {len(missing)} commercial regions: {', '.join(missing)}")
    for key, source in doc["sources"].items():
        lines.append(f"  [{key}] {source['url']} (as of {source['as_of']})")
    return "\n".join(lines)
