"""sagespec cleanup of inference components: botocore's Stubber with the real API's shapes (moto has
no inference components): listing across pages, what the plan keeps, deletion order, timeouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
from botocore.stub import Stubber

from sagespec.ops import cleanup_find as cleanup
from sagespec.ops import components
from sagespec.ops.cleanup_find import Resource
from tests.helpers.rendered import SAGEMAKER_ARN as ARN
from tests.helpers.rendered import model_name
from tests.ops.conftest import tags


def _stub() -> tuple[Any, Stubber]:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    return sm, Stubber(sm)


def _summary(name: str, endpoint: str = "cpu-pool-dev") -> dict[str, Any]:
    from datetime import UTC, datetime

    when = datetime(2024, 1, 1, tzinfo=UTC)
    return {
        "InferenceComponentName": name,
        "InferenceComponentArn": f"{ARN}:inference-component/{name}",
        "EndpointName": endpoint,
        "EndpointArn": f"{ARN}:endpoint/{endpoint}",
        "VariantName": "AllTraffic",
        "CreationTime": when,
        "LastModifiedTime": when,
        "InferenceComponentStatus": "InService",
    }


def test_components_are_listed_across_pages() -> None:
    sm, stub = _stub()
    stub.add_response(
        "list_inference_components",
        {"InferenceComponents": [_summary("a-dev")], "NextToken": "t"},
        {"NameContains": "-dev"},
    )
    stub.add_response(
        "list_inference_components",
        {"InferenceComponents": [_summary("b-dev")]},
        {"NameContains": "-dev", "NextToken": "t"},
    )
    with stub:
        found = cleanup.list_component_resources(sm, "dev")
    assert [(r.name, r.endpoint) for r in found] == [("a-dev", "cpu-pool-dev"), ("b-dev", "cpu-pool-dev")]


def test_plan_keeps_rendered_and_untagged_components(ops_repo: Path) -> None:
    import json

    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    rendered["endpoints"] = {}
    rendered["models"] = {}
    ic = {
        name: Resource("inference-component", name, f"{ARN}:inference-component/{name}", "cpu-pool-dev")
        for name in ("embedder-dev", "old-embedder-dev", "handmade-dev")
    }
    sm, stub = _stub()
    stub.add_response("list_tags", {"Tags": tags("dev")}, {"ResourceArn": ic["old-embedder-dev"].arn})
    stub.add_response("list_tags", {"Tags": []}, {"ResourceArn": ic["handmade-dev"].arn})
    stub.add_response(
        "describe_inference_component",
        {
            **{k: v for k, v in _summary("embedder-dev").items() if k != "VariantName"},
            "Specification": {"ModelName": model_name("dev", "embedder")},
        },
        {"InferenceComponentName": "embedder-dev"},
    )
    stub.add_response(
        "describe_inference_component",
        {
            **{k: v for k, v in _summary("handmade-dev").items() if k != "VariantName"},
            "Specification": {"ModelName": "handmade"},
        },
        {"InferenceComponentName": "handmade-dev"},
    )
    with stub:
        found = cleanup.plan(sm, "dev", rendered, list(ic.values()))
    stub.assert_no_pending_responses()
    assert found.orphans == [ic["old-embedder-dev"]] and found.kept == []


def test_components_are_deleted_and_gone_before_their_endpoint() -> None:
    sm, stub = _stub()
    stub.add_response("delete_inference_component", {}, {"InferenceComponentName": "old-dev"})
    stub.add_client_error(
        "describe_inference_component",
        "ValidationException",
        'Could not find inference component "old-dev".',
        expected_params={"InferenceComponentName": "old-dev"},
    )
    stub.add_response("delete_endpoint", {}, {"EndpointName": "old-pool-dev"})
    stub.add_response("delete_endpoint_config", {}, {"EndpointConfigName": "old-pool-dev-12345678"})
    reports: list[tuple[str, str | None]] = []
    orphans = [
        Resource("endpoint-config", "old-pool-dev-12345678", "a"),
        Resource("endpoint", "old-pool-dev", "b"),
        Resource("inference-component", "old-dev", "c", "old-pool-dev"),
    ]
    with stub:
        failures = cleanup.execute(sm, orphans, lambda r, e: reports.append((r.name, e)))
    stub.assert_no_pending_responses()
    assert failures == 0
    assert reports == [("old-dev", None), ("old-pool-dev", None), ("old-pool-dev-12345678", None)]


def test_wait_deleted_gives_up_after_the_timeout() -> None:
    sm, stub = _stub()
    for _ in range(3):
        stub.add_response(
            "describe_inference_component",
            {
                **{k: v for k, v in _summary("slow-dev").items() if k != "VariantName"},
                "InferenceComponentStatus": "Deleting",
            },
        )
    now = [0.0]
    with stub:
        left = components.wait_deleted(
            sm,
            ["slow-dev"],
            timeout_s=25,
            poll_s=10,
            sleep=lambda s: now.__setitem__(0, now[0] + s),
            clock=lambda: now[0],
        )
    assert left == ["slow-dev"]


def test_a_failed_delete_is_reported_and_counted() -> None:
    sm, stub = _stub()
    stub.add_client_error("delete_model", "ValidationException", "Cannot delete model in use")
    reports: list[tuple[str, str | None]] = []
    with stub:
        failures = cleanup.execute(
            sm, [Resource("model", "m-dev-1", "a")], lambda r, e: reports.append((r.name, e))
        )
    assert failures == 1 and reports == [("m-dev-1", "ValidationException: Cannot delete model in use")]


class _FakeSageMaker:
    """Just enough of the client for `plan`: tags, and who uses what."""

    def __init__(
        self,
        tagged: set[str],
        endpoints: dict[str, str],
        configs: dict[str, str],
        component_models: dict[str, str],
    ) -> None:
        self.tagged, self.endpoints, self.configs, self.component_models = (
            tagged,
            endpoints,
            configs,
            component_models,
        )

    def get_paginator(self, name: str) -> Any:
        assert name == "list_tags"
        fake = self

        class _Pages:
            def paginate(self, ResourceArn: str) -> list[dict[str, Any]]:  # boto3's spelling
                return [{"Tags": tags("dev") if ResourceArn in fake.tagged else []}]

        return _Pages()

    def describe_endpoint(self, EndpointName: str) -> dict[str, Any]:
        return {"EndpointConfigName": self.endpoints[EndpointName]}

    def describe_endpoint_config(self, EndpointConfigName: str) -> dict[str, Any]:
        model = self.configs.get(EndpointConfigName)
        return {
            "ProductionVariants": [{"VariantName": "AllTraffic", **({"ModelName": model} if model else {})}]
        }

    def describe_inference_component(self, InferenceComponentName: str) -> dict[str, Any]:
        return {"Specification": {"ModelName": self.component_models[InferenceComponentName]}}


def test_an_orphan_pool_still_hosting_a_rendered_component_is_kept_with_its_config(ops_repo: Path) -> None:
    import json

    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    pool, config = (
        Resource("endpoint", "old-pool-dev", "arn:e"),
        Resource("endpoint-config", "old-pool-dev-1", "arn:c"),
    )
    ic = Resource("inference-component", "embedder-dev", "arn:i", "old-pool-dev")  # rendered, not moved yet
    model = Resource("model", model_name("dev", "embedder"), "arn:m")  # rendered
    fake = _FakeSageMaker(
        {"arn:e", "arn:c"},
        {"old-pool-dev": "old-pool-dev-1"},
        {"old-pool-dev-1": ""},
        {"embedder-dev": model_name("dev", "embedder")},
    )
    found = cleanup.plan(fake, "dev", rendered, [ic, pool, config, model])
    assert found.orphans == []
    assert found.kept == [
        (pool, "hosts inference component embedder-dev"),
        (config, "run by endpoint old-pool-dev"),
    ]
