"""Wait until an endpoint (and an inference component on it) is InService, with a display and a timeout.

Statuses that cannot turn into InService on their own (Failed, OutOfService, Deleting, ...)
end the wait at once with the failure reason; so does a resource that does not exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from rich.console import Console

from ..aws import error_code

READY = "InService"
# Statuses from which SageMaker does not reach InService without someone acting.
HOPELESS = frozenset({"Failed", "OutOfService", "Deleting", "UpdateRollbackFailed", "NotFound"})

Describe = Callable[[], tuple[str, str | None]]  # -> (status, failure reason)


@dataclass(frozen=True)
class Waited:
    ok: bool
    status: str
    reason: str | None
    seconds: float


def not_found(exc: ClientError) -> bool:
    message = str(exc.response.get("Error", {}).get("Message", ""))
    return error_code(exc) == "ValidationException" and "Could not find" in message


def endpoint_status(sm: Any, name: str) -> Describe:
    def describe() -> tuple[str, str | None]:
        try:
            reply = sm.describe_endpoint(EndpointName=name)
        except ClientError as exc:
            if not_found(exc):
                return "NotFound", f"endpoint {name} does not exist (applied yet?)"
            raise
        return str(reply["EndpointStatus"]), reply.get("FailureReason")

    return describe


def component_status(sm: Any, name: str) -> Describe:
    def describe() -> tuple[str, str | None]:
        try:
            reply = sm.describe_inference_component(InferenceComponentName=name)
        except ClientError as exc:
            if not_found(exc):
                return "NotFound", f"inference component {name} does not exist (applied yet?)"
            raise
        return str(reply["InferenceComponentStatus"]), reply.get("FailureReason")

    return describe


def wait_in_service(
    describe: Describe,
    what: str,
    timeout_s: float,
    poll_s: float,
    console: Console,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Waited:
    start, last = clock(), ""
    with console.status(f"waiting for {what}") as spinner:
        while True:
            status, reason = describe()
            elapsed = clock() - start
            if status != last:  # a line per change: readable in CI logs, where the spinner is silent
                console.print(f"{what}: {status} after {elapsed:.0f} s")
                last = status
            if status == READY or status in HOPELESS:
                return Waited(status == READY, status, reason, elapsed)
            if elapsed + poll_s > timeout_s:
                return Waited(
                    False,
                    status,
                    f"still {status} after {elapsed:.0f} s (timeout {timeout_s:.0f} s)",
                    elapsed,
                )
            spinner.update(f"waiting for {what}: {status} ({elapsed:.0f} s of {timeout_s:.0f} s)")
            sleep(poll_s)
