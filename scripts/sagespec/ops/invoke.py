"""Invoke a model once: a real-time endpoint, an inference component, or an async endpoint (via S3)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..artifacts.s3keys import split_s3_uri
from ..aws import error_code
from .deployed_env import Target

JSON = "application/json"


class InvokeFailed(Exception):
    """The endpoint answered with an error, or no answer came in time."""


@dataclass(frozen=True)
class Reply:
    body: str
    latency_ms: float
    content_type: str | None
    variant: str | None


def encode(payload: Any, content_type: str) -> bytes:
    """JSON payloads as JSON; a string for a non-JSON content type as is (text/csv, text/plain)."""
    if isinstance(payload, str) and "json" not in content_type:
        return payload.encode("utf-8")
    return json.dumps(payload).encode("utf-8")


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _model_error(exc: ClientError) -> InvokeFailed:
    err = exc.response.get("Error", {})
    extra = {k: exc.response.get(k) for k in ("OriginalStatusCode", "LogStreamArn") if exc.response.get(k)}
    details = f" {extra}" if extra else ""
    return InvokeFailed(f"{error_code(exc)}: {err.get('Message', '')}{details}")


def invoke(runtime: Any, target: Target, body: bytes, content_type: str, accept: str = "*/*") -> Reply:
    kwargs: dict[str, Any] = {
        "EndpointName": target.endpoint,
        "Body": body,
        "ContentType": content_type,
        "Accept": accept,
    }
    if target.component:
        kwargs["InferenceComponentName"] = target.component
    start = time.perf_counter()
    try:
        reply = runtime.invoke_endpoint(**kwargs)
        raw = reply["Body"].read()
    except ClientError as exc:
        raise _model_error(exc) from exc
    latency = (time.perf_counter() - start) * 1000
    return Reply(_decode(raw), latency, reply.get("ContentType"), reply.get("InvokedProductionVariant"))


def _fetch(s3: Any, uri: str) -> bytes | None:
    bucket, key = split_s3_uri(uri)
    try:
        return bytes(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as exc:
        if error_code(exc) in ("NoSuchKey", "404"):
            return None
        raise


def invoke_async(
    runtime: Any,
    s3: Any,
    input_prefix: str,
    target: Target,
    body: bytes,
    content_type: str,
    timeout_s: float,
    poll_s: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Reply:
    """Put the payload under `input_prefix` (s3://...), invoke, and poll for the output or failure object."""
    bucket, prefix = split_s3_uri(input_prefix.rstrip("/") + "/")
    key = f"{prefix}{uuid.uuid4().hex}.json"
    start = time.perf_counter()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
    try:
        reply = runtime.invoke_endpoint_async(
            EndpointName=target.endpoint, ContentType=content_type, InputLocation=f"s3://{bucket}/{key}"
        )
    except ClientError as exc:
        raise _model_error(exc) from exc
    while (time.perf_counter() - start) < timeout_s:
        if (out := _fetch(s3, reply["OutputLocation"])) is not None:
            return Reply(_decode(out), (time.perf_counter() - start) * 1000, None, None)
        if reply.get("FailureLocation") and (failed := _fetch(s3, reply["FailureLocation"])) is not None:
            raise InvokeFailed(f"async inference failed: {_decode(failed)[:500]}")
        sleep(poll_s)
    raise InvokeFailed(f"no async output at {reply['OutputLocation']} after {timeout_s:.0f} s")
