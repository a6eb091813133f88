"""Shared fixtures. Every test runs with dummy AWS credentials and no network but loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import moto_server as _moto
from tests.helpers import network

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

network.install()


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session (compiled schemas, file hashes): never the user's ~/.cache."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _no_real_aws(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, _cache_home: Path
) -> None:
    """Dummy credentials, no config files, no metadata service: a real AWS call cannot succeed."""
    for var in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "SAGESPEC_CACHE_DIR",  # the caches follow XDG_CACHE_HOME below, never the user's
    ):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """One moto server for the session; use `moto` (function scope) to get it reset."""
    with _moto.moto_server() as url:
        yield url


@pytest.fixture
def moto(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    _moto.reset(moto_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return moto_url


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A scratch copy of this repository's specs/, envs/, models/ and HCL to change freely."""
    dest = tmp_path / "repo"
    ignore = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan")
    for part in ("specs", "envs", "models", "terraform", "modules"):
        if (REPO / part).exists():
            shutil.copytree(REPO / part, dest / part, ignore=ignore)
    return dest
