"""sagespec smoke: against moto's SageMaker (queued answers), and the wait loop on a stubbed client."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from rich.console import Console

from sagespec.ops import invoke, waiting
from sagespec.ops.deployed_env import Target
from tests.ops.conftest import cli, deploy_rendered, queue_results

ANSWER = json.dumps([{"generated_text": "William Shakespeare wrote Hamlet."}])


@pytest.fixture
def flan_endpoint(sm: Any) -> None:
    deploy_rendered(sm, "dev", only={"flan-t5"})


def test_smoke_prints_the_queued_answer_and_passes(
    ops_repo: Path, moto: str, flan_endpoint: None, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_results(moto, ANSWER)
    assert cli(ops_repo, "smoke", "flan-t5", "--env", "dev", "--poll", "0.1") == 0
    out = capsys.readouterr().out
    assert "flan-t5 (dev): flan-t5-dev" in out
    assert f"response: {ANSWER}" in out
    assert "latency: " in out and " ms " in out
    assert "ok (expect matched)" in out


def test_smoke_fails_when_the_answer_does_not_match(
    ops_repo: Path, moto: str, flan_endpoint: None, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_results(moto, json.dumps([{"generated_text": "Marlowe"}]))
    assert cli(ops_repo, "smoke", "flan-t5", "--env", "dev") == 1
    assert "FAILED: $[0].generated_text" in capsys.readouterr().out


def test_smoke_payload_override_and_no_expect(
    ops_repo: Path, moto: str, flan_endpoint: None, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = ops_repo / "specs/models/flan-t5.yaml"
    spec.write_text(
        spec.read_text().replace(
            '    expect: {json_path: "$[0].generated_text", contains: Shakespeare}\n', ""
        )
    )
    queue_results(moto, "plain text")
    assert cli(ops_repo, "smoke", "flan-t5", "--env", "dev", "--payload", '{"inputs": "x"}') == 0
    assert capsys.readouterr().out.rstrip().endswith("ok")


def test_smoke_of_a_missing_endpoint_fails_at_once(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "smoke", "flan-t5", "--env", "dev", "--timeout", "600") == 1
    assert "FAILED: NotFound: endpoint flan-t5-dev does not exist" in capsys.readouterr().out


def test_smoke_async_reads_the_output_from_s3(
    ops_repo: Path, moto: str, s3: Any, sm: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import urllib.request

    deploy_rendered(sm, "dev", only={"summarizer"})
    body = json.dumps({"results": [{"data": '[{"summary_text": "short"}]'}]}).encode()
    request = urllib.request.Request(
        f"{moto}/moto-api/static/sagemaker/async-endpoint-results",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()  # loopback
    assert cli(ops_repo, "smoke", "summarizer", "--env", "dev") == 0
    assert 'response: [{"summary_text": "short"}]' in capsys.readouterr().out
    inputs = s3.list_objects_v2(Bucket="acme-sagespec-dev-artifacts", Prefix="async/summarizer-dev/")
    assert [o["Key"].rsplit("/", 2)[1] for o in inputs["Contents"]] == ["input"]


def test_model_without_smoke_test_is_a_usage_error(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "smoke", "gpt-neo", "--env", "dev") == 2
    assert "no smoke_test.payload" in capsys.readouterr().err


def test_model_not_in_the_env(ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(ops_repo, "smoke", "summarizer", "--env", "prod") == 2
    assert "not enabled in environment 'prod'" in capsys.readouterr().err


# ---- the wait loop and inference components, on stubbed clients (moto has no inference components)


def _stubbed(service: str) -> tuple[Any, Stubber]:
    client = boto3.client(service, region_name="us-east-1")
    return client, Stubber(client)


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _describe_ic(status: str, reason: str | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "InferenceComponentName": "embedder-dev",
        "EndpointName": "cpu-pool-dev",
        "InferenceComponentArn": "arn:aws:sagemaker:us-east-1:123456789012:inference-component/embedder-dev",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/cpu-pool-dev",
        "CreationTime": "2024-01-01T00:00:00Z",
        "LastModifiedTime": "2024-01-01T00:10:00Z",
        "InferenceComponentStatus": status,
    }
    if reason:
        reply["FailureReason"] = reason
    return reply


def test_wait_follows_an_inference_component_to_in_service() -> None:
    sm, stub = _stubbed("sagemaker")
    for status in ("Creating", "Creating", "InService"):
        stub.add_response(
            "describe_inference_component", _describe_ic(status), {"InferenceComponentName": "embedder-dev"}
        )
    clock, console = _Clock(), Console(file=io.StringIO())
    with stub:
        waited = waiting.wait_in_service(
            waiting.component_status(sm, "embedder-dev"), "ic", 600, 30, console, clock, clock.sleep
        )
    stub.assert_no_pending_responses()
    assert (waited.ok, waited.status, waited.seconds) == (True, "InService", 60)
    assert console.file.getvalue().splitlines() == ["ic: Creating after 0 s", "ic: InService after 60 s"]  # type: ignore[attr-defined]


def test_wait_stops_on_failure_with_the_reason() -> None:
    sm, stub = _stubbed("sagemaker")
    stub.add_response("describe_inference_component", _describe_ic("Failed", "out of memory"))
    with stub:
        waited = waiting.wait_in_service(
            waiting.component_status(sm, "embedder-dev"), "ic", 600, 30, Console(file=io.StringIO())
        )
    assert (waited.ok, waited.status, waited.reason) == (False, "Failed", "out of memory")


def test_wait_times_out() -> None:
    sm, stub = _stubbed("sagemaker")
    for _ in range(4):
        stub.add_response(
            "describe_endpoint",
            {
                "EndpointName": "e",
                "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e",
                "EndpointStatus": "Creating",
                "CreationTime": "2024-01-01T00:00:00Z",
                "LastModifiedTime": "2024-01-01T00:00:00Z",
            },
        )
    clock = _Clock()
    with stub:
        waited = waiting.wait_in_service(
            waiting.endpoint_status(sm, "e"), "e", 100, 30, Console(file=io.StringIO()), clock, clock.sleep
        )
    assert not waited.ok and "still Creating after 90 s (timeout 100 s)" in (waited.reason or "")


def test_invoke_names_the_inference_component() -> None:
    runtime, stub = _stubbed("sagemaker-runtime")
    answer = b"[[0.1, 0.2]]"
    stub.add_response(
        "invoke_endpoint",
        {"Body": StreamingBody(io.BytesIO(answer), len(answer)), "ContentType": "application/json"},
        {
            "EndpointName": "cpu-pool-dev",
            "InferenceComponentName": "embedder-dev",
            "Body": b'{"inputs": "hello"}',
            "ContentType": "application/json",
            "Accept": "*/*",
        },
    )
    with stub:
        reply = invoke.invoke(
            runtime,
            Target("embedder", "cpu-pool-dev", "embedder-dev", "pool"),
            invoke.encode({"inputs": "hello"}, "application/json"),
            "application/json",
        )
    assert reply.body == "[[0.1, 0.2]]" and reply.latency_ms >= 0


def test_model_error_becomes_a_failure_with_the_log_stream() -> None:
    runtime, stub = _stubbed("sagemaker-runtime")
    stub.add_client_error(
        "invoke_endpoint",
        "ModelError",
        "Received server error (500) from primary",
        http_status_code=424,
        response_meta={},
        modeled_fields={"OriginalStatusCode": 500, "LogStreamArn": "arn:aws:logs:log-stream"},
    )
    with stub, pytest.raises(invoke.InvokeFailed, match="ModelError: Received server error"):
        invoke.invoke(runtime, Target("m", "e", None, "realtime"), b"{}", "application/json")
