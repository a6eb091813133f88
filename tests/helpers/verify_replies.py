"""Replies of DescribeEndpoint and DescribeInferenceComponent in the real API's shapes, a fake
clock and a Stubber client: what the verify tests feed the judge, the wait and the command."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber
from rich.console import Console

from sagespec.ops.verify_checks import Expect
from tests.helpers.rendered import SAGEMAKER_ARN as ARN
from tests.helpers.rendered import config_name, model_name

# dev's rendered names (they end in content hashes): flan-t5's config, the embedder's model, the pool's config
FLAN_CONFIG = config_name("dev", "flan-t5")
EMBEDDER_MODEL = model_name("dev", "embedder")
POOL_CONFIG = config_name("dev", "cpu-pool")
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
QUIET = Console(file=io.StringIO())  # the progress display goes nowhere


def endpoint_reply(
    status: str = "InService",
    config: str = FLAN_CONFIG,
    current: int = 1,
    desired: int = 1,
    reason: str | None = None,
    alarms: list[str] | None = None,
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "EndpointName": "flan-t5-dev",
        "EndpointArn": f"{ARN}:endpoint/flan-t5-dev",
        "EndpointConfigName": config,
        "ProductionVariants": [
            {"VariantName": "AllTraffic", "CurrentInstanceCount": current, "DesiredInstanceCount": desired}
        ],
        "EndpointStatus": status,
        "CreationTime": WHEN,
        "LastModifiedTime": WHEN,
    }
    if reason:
        reply["FailureReason"] = reason
    if alarms:
        reply["LastDeploymentConfig"] = {
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}
            },
            "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": a} for a in alarms]},
        }
    return reply


def component_reply(
    status: str = "InService",
    model: str = EMBEDDER_MODEL,
    current: int = 2,
    desired: int = 2,
    reason: str | None = None,
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "InferenceComponentName": "embedder-dev",
        "InferenceComponentArn": f"{ARN}:inference-component/embedder-dev",
        "EndpointName": "cpu-pool-dev",
        "EndpointArn": f"{ARN}:endpoint/cpu-pool-dev",
        "VariantName": "AllTraffic",
        "Specification": {
            "ModelName": model,
            "ComputeResourceRequirements": {"NumberOfCpuCoresRequired": 1, "MinMemoryRequiredInMb": 2048},
        },
        "RuntimeConfig": {"DesiredCopyCount": desired, "CurrentCopyCount": current},
        "CreationTime": WHEN,
        "LastModifiedTime": WHEN,
        "InferenceComponentStatus": status,
    }
    if reason:
        reply["FailureReason"] = reason
    return reply


ENDPOINT = Expect("endpoint", "flan-t5", "flan-t5-dev", FLAN_CONFIG, 1, None, 600, "flan-t5-dev")
COMPONENT = Expect("component", "embedder", "embedder-dev", EMBEDDER_MODEL, 2, None, 600, "cpu-pool-dev")


class FakeClock:
    """time.monotonic and time.sleep in one: sleeping advances the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def stubbed(replies: list[tuple[str, dict[str, Any]]]) -> tuple[Any, Stubber]:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    for operation, reply in replies:
        name = "EndpointName" if operation == "describe_endpoint" else "InferenceComponentName"
        stub.add_response(operation, reply, {name: reply[name]})
    stub.activate()
    return sm, stub


ADAPTER_URL = "s3://acme-sagespec-dev-artifacts/models/sql-lora/" + "ab" * 32 + "/model.tar.gz"
ADAPTER = Expect("adapter", "sql-lora", "sql-lora-dev", ADAPTER_URL, None, None, 600, "cpu-pool-dev")


def adapter_reply(
    status: str = "InService", url: str = ADAPTER_URL, reason: str | None = None
) -> dict[str, Any]:
    reply = component_reply(status, reason=reason)
    reply["InferenceComponentName"] = "sql-lora-dev"
    reply["InferenceComponentArn"] = f"{ARN}:inference-component/sql-lora-dev"
    reply["Specification"] = {"BaseInferenceComponentName": "embedder-dev", "Container": {"ArtifactUrl": url}}
    del reply["RuntimeConfig"]  # an adapter has no copies of its own
    return reply
