"""sagespec loadtest: a few users for a few seconds against moto, locust in its own process."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.network import free_port
from tests.ops.conftest import cli, deploy_rendered, queue_results


@pytest.fixture
def flan(ops_repo: Path, sm: Any, moto: str) -> Path:
    deploy_rendered(sm, "dev", only={"flan-t5"})
    queue_results(moto, '[{"generated_text": "Shakespeare"}]')
    return ops_repo


def test_loadtest_reports_requests_and_latency(
    flan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "result.json"
    code = cli(
        flan,
        "loadtest",
        "flan-t5",
        "--env",
        "dev",
        "--users",
        "3",
        "--duration",
        "2",
        "--json-out",
        str(out_file),
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    result = json.loads(out_file.read_text())
    assert result["requests"] > 10 and result["failures"] == 0
    assert result["endpoint"] == "flan-t5-dev" and result["users"] == 3
    assert 0 < result["p50_ms"] <= result["p90_ms"] <= result["p99_ms"]
    assert result["requests_per_s"] > 0
    assert "p99 ms" in printed and f"{result['requests']}" in printed
    assert "gevent" not in sys.modules  # locust's monkey-patching stayed in its own process


def test_loadtest_counts_failures_and_exits_1(
    flan: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # sagemaker-runtime on a port nobody listens on: every request fails, fast (one attempt each)
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", f"http://127.0.0.1:{port}")
    code = cli(
        flan, "loadtest", "flan-t5", "--env", "dev", "--users", "2", "--duration", "1", "--format", "json"
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result["failures"] == result["requests"] > 0
    assert "Could not connect" in result["errors"][0]["error"]


def test_loadtest_refuses_an_endpoint_that_is_not_in_service(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "loadtest", "flan-t5", "--env", "dev", "--duration", "1") == 2
    assert "endpoint flan-t5-dev is NotFound" in capsys.readouterr().err
