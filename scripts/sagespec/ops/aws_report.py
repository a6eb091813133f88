"""AWS errors of the day-2 commands reported as what they are: operation, service message, what to do.

aws.aws_errors already turns credential, connection and permission failures into usage errors;
this catches the rest (throttling after every retry, a service error), which would otherwise
reach the CLI's last line of defence and be called a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from ..aws import error_code
from ..errors import SagespecError


@contextmanager
def reported(action: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        message = exc.response.get("Error", {}).get("Message", "")
        raise SagespecError(
            f"{action}: {exc.operation_name} failed: {error_code(exc)}: {message}",
            "retry later if AWS throttled; otherwise check the role's SageMaker and Application Auto "
            "Scaling permissions for this environment",
        ) from exc
    except BotoCoreError as exc:
        raise SagespecError(f"{action}: {exc}", "check the network and AWS_ENDPOINT_URL if set") from exc
