"""Inference-component calls, kept apart: moto has none, so they are tested with botocore's Stubber."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from .waiting import not_found


def list_components(sm: Any, name_contains: str | None = None) -> list[dict[str, Any]]:
    """Summaries (name, ARN, endpoint, status, times) of every inference component, all pages."""
    kwargs: dict[str, Any] = {"NameContains": name_contains} if name_contains else {}
    found: list[dict[str, Any]] = []
    for page in sm.get_paginator("list_inference_components").paginate(**kwargs):
        found.extend(page.get("InferenceComponents", []))
    return found


def describe_component(sm: Any, name: str) -> dict[str, Any] | None:
    """describe_inference_component, or None when it does not exist."""
    try:
        return dict(sm.describe_inference_component(InferenceComponentName=name))
    except ClientError as exc:
        if not_found(exc):
            return None
        raise


def delete_component(sm: Any, name: str) -> None:
    sm.delete_inference_component(InferenceComponentName=name)


def wait_deleted(
    sm: Any,
    names: list[str],
    timeout_s: float = 900,
    poll_s: float = 10,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[str]:
    """Wait until every named component is gone (an endpoint cannot be deleted before); return those left."""
    left, start = list(names), clock()
    while left:
        left = [n for n in left if describe_component(sm, n) is not None]
        if not left or clock() - start + poll_s > timeout_s:
            break
        sleep(poll_s)
    return left
