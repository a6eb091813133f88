"""Every catalog figure a review used, grouped by source and date, and the cost model's stated
assumptions: the report's footnote and the JSON output's `cost`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog import reader as catalogs
from ..cost import model as cost
from ..render.types import Endpoint, Rendered


@dataclass(frozen=True)
class PriceSource:
    url: str
    as_of: str
    priced: tuple[str, ...]  # "ml.g5.12xlarge (us-east-1): $7.09/h"


def price_sources(sides: list[Rendered]) -> list[PriceSource]:
    """Every catalog figure the review used, grouped by source and date."""
    used: dict[tuple[str, str], set[str]] = {}
    for rendered in sides:
        region = str((rendered.get("aws") or {}).get("region"))
        for endpoint in (rendered.get("endpoints") or {}).values():
            line, source = _figure(endpoint, region)
            if source is not None:
                used.setdefault(source, set()).add(line)
    return [PriceSource(url, as_of, tuple(sorted(lines))) for (url, as_of), lines in sorted(used.items())]


def _figure(endpoint: Endpoint, region: str) -> tuple[str, tuple[str, str] | None]:
    if endpoint.get("type") == "serverless":
        config = endpoint.get("serverless")
        provisioned = config.get("provisioned_concurrency") if config else None
        serverless = catalogs.serverless_price(region) if provisioned else None
        if serverless is None or serverless.usd_per_gb_second_provisioned is None:
            return "", None
        return (
            f"serverless provisioned concurrency ({region}): "
            f"${serverless.usd_per_gb_second_provisioned:.8f}/GB-second",
            (serverless.source, serverless.as_of),
        )
    instance_type = endpoint.get("instance_type")
    price = catalogs.instance_price(str(instance_type), region) if instance_type else None
    if price is None:
        return "", None
    return f"{instance_type} ({region}): ${_exact(price.usd_per_hour)}/h", (price.source, price.as_of)


def _exact(usd: float) -> str:
    """The catalog figure as written: at least cents, up to 4 decimals, no float noise."""
    text = f"{usd:,.4f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.split(".")[1]))


def assumptions() -> str:
    """The cost model's stated assumptions (sagespec.cost.model's docstring, without its title line)."""
    doc = (cost.__doc__ or "").strip()
    body = doc.split("\n\n", 1)[1] if "\n\n" in doc else doc
    return re.sub(r"^Assumptions[^:]*:\s*", "", " ".join(body.split()))
