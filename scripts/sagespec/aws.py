"""The one factory of AWS clients for the day-2 commands.

Credentials, profile and endpoints come from the standard places (`--profile` or AWS_PROFILE,
AWS_ENDPOINT_URL and its per-service variants, ~/.aws/config), so the same code talks to AWS or
to a local emulator; the region is the rendered environment's. Retries use botocore's adaptive
mode, which backs off and rate-limits on throttling.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
    TokenRetrievalError,
)

from . import __version__
from .errors import SagespecError

MAX_ATTEMPTS = 10
_AUTH_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
    }
)


def client_config(max_attempts: int = MAX_ATTEMPTS, read_timeout: int = 90, pool: int = 10) -> Config:
    return Config(
        retries={"mode": "adaptive", "max_attempts": max_attempts},
        max_pool_connections=pool,
        user_agent_extra=f"sagespec/{__version__}",
        connect_timeout=10,
        read_timeout=read_timeout,  # an LLM answer can take a minute (SageMaker's own limit is 60 s)
    )


class Aws:
    """A boto3 session for one environment; clients are made once and reused."""

    def __init__(self, region: str, profile: str | None = None) -> None:
        self.region, self.profile = region, profile
        try:
            self.session = boto3.Session(profile_name=profile, region_name=region)
        except ProfileNotFound as exc:
            raise SagespecError(str(exc), "list profiles with `aws configure list-profiles`") from exc
        self._clients: dict[tuple[str, int, int], Any] = {}

    def client(self, service: str, *, max_attempts: int = MAX_ATTEMPTS, pool: int = 10) -> Any:
        """A client for `service`; max_attempts=1 where retries would distort measurements."""
        key = (service, max_attempts, pool)
        if key not in self._clients:
            self._clients[key] = self.session.client(service, config=client_config(max_attempts, pool=pool))
        return self._clients[key]


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Turn credential, connection and permission failures into a SagespecError (exit 2) with a hint."""
    try:
        yield
    except (NoCredentialsError, TokenRetrievalError) as exc:
        raise SagespecError(
            f"{action}: no usable AWS credentials ({exc})",
            "set AWS_PROFILE or pass --profile (and `aws sso login` for SSO profiles)",
        ) from exc
    except NoRegionError as exc:
        raise SagespecError(f"{action}: no AWS region", "set aws.region in envs/<env>/env.yaml") from exc
    except EndpointConnectionError as exc:
        raise SagespecError(
            f"{action}: cannot reach {exc.kwargs.get('endpoint_url')}",
            "check the network, and AWS_ENDPOINT_URL if you set it",
        ) from exc
    except ClientError as exc:
        if error_code(exc) not in _AUTH_CODES:
            raise
        raise SagespecError(
            f"{action}: {error_code(exc)}: {exc.response['Error'].get('Message', '')}",
            "check the profile's credentials and its permissions for this environment",
        ) from exc
