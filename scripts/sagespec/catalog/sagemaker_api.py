r"""SageMaker's own limits, read from botocore's service model (the API contract AWS publishes).

botocore validates only required members, types and minimums when it sends a request; enums,
maximums and patterns are ours to check. Patterns have no anchors, so they are used with
re.fullmatch; the few in Java-only syntax (\p{L} classes) are compiled by the regex module,
which reads them as Java does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore
import botocore.loaders
import regex

SOURCE = f"botocore {botocore.__version__} sagemaker service-2.json"


@cache
def _shapes() -> dict[str, Any]:
    # the one place that loads botocore's SageMaker service model (catalog/reader and
    # catalog/generate ask here)
    model = botocore.loaders.Loader().load_service_model("sagemaker", "service-2")
    return model["shapes"]  # type: ignore[no-any-return]


def instance_types() -> list[str]:
    """Every instance type a production variant accepts, in the service model's order."""
    return list(_shapes()["ProductionVariantInstanceType"]["enum"])


@dataclass(frozen=True)
class Limit:
    shape: str
    minimum: float | None
    maximum: float | None
    pattern: re.Pattern[str] | regex.Pattern[str] | None
    max_length: int | None

    def problem(self, value: Any) -> str | None:
        """Why `value` breaks this limit, or None; never quoting the value (it may be a secret)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            if self.minimum is not None and value < self.minimum:
                return f"below SageMaker's minimum {_num(self.minimum)} ({self.shape})"
            if self.maximum is not None and value > self.maximum:
                return f"above SageMaker's maximum {_num(self.maximum)} ({self.shape})"
        if isinstance(value, str):
            if self.max_length is not None and len(value) > self.max_length:
                return f"{len(value)} characters, SageMaker allows {self.max_length} ({self.shape})"
            if self.pattern is not None and not self.pattern.fullmatch(value):
                return f"does not match SageMaker's pattern {self.pattern.pattern} ({self.shape})"
        return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@cache
def limit(shape: str) -> Limit:
    spec = _shapes()[shape]
    pattern: re.Pattern[str] | regex.Pattern[str] | None = None
    if "pattern" in spec:
        try:
            pattern = re.compile(spec["pattern"])
        except re.error:  # Java-only syntax: the regex module knows \p{L} and friends
            try:
                pattern = regex.compile(spec["pattern"])
            except regex.error:  # unchecked rather than wrongly checked
                pattern = None
    is_string = spec.get("type") == "string"
    return Limit(
        shape,
        None if is_string else spec.get("min"),
        None if is_string else spec.get("max"),
        pattern,
        spec.get("max") if is_string else None,
    )


@cache
def enum(shape: str) -> frozenset[str]:
    return frozenset(_shapes()[shape].get("enum", ()))


def hosting_instance_types() -> frozenset[str]:
    return enum("ProductionVariantInstanceType")


def routing_strategies() -> dict[str, str]:
    """Spec spelling (least-outstanding-requests) -> API constant (LEAST_OUTSTANDING_REQUESTS)."""
    return {value.lower().replace("_", "-"): value for value in sorted(enum("RoutingStrategy"))}
