"""`sagespec prices`: show what the price catalog covers; `--refresh` rebuilds it from the AWS Pricing API.

Arguments only; the workflow is catalog/price_catalog.py.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from .. import atomic
from ..catalog import pricing_api
from ..catalog.dump import dumps
from ..catalog.price_catalog import PRICES, load, pricing_client, refresh, summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--refresh", action="store_true", help="read current prices from the AWS Pricing API")
    parser.add_argument(
        "--region",
        action="append",
        metavar="REGION",
        help="region to refresh (repeatable; default: every commercial region SageMaker runs in)",
    )
    parser.add_argument(
        "--out", type=Path, default=PRICES, help="price catalog to update (default: the shipped one)"
    )


def run(args: argparse.Namespace) -> int:
    doc = load(args.out)
    if args.refresh:
        regions = args.region or pricing_api.commercial_regions()
        doc = refresh(doc, pricing_client(), regions, datetime.date.today().isoformat())
        atomic.write_text(args.out, dumps(doc, depth=3))
    print(summary(doc))
    return 0
