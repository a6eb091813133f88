"""docs/updates.md, continued: changing an endpoint's kind, deleting a spec, and an endpoint turned
into an inference component, on real offline plans (see test_updates.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.scratch import commit_all, edit
from tests.review.updates import (
    DELETE_FIRST,
    GPT_NEO,
    NEO,
    accepted,
    actions,
    allow_downtime,
    change,
    e801,
    line_of,
    refused,
)

pytestmark = pytest.mark.slow


# --- endpoint kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["to async", "from async"])
def test_realtime_and_async_replace_the_endpoint(
    scratch: Path, capsys: pytest.CaptureFixture[str], direction: str
) -> None:
    """UpdateEndpoint refuses to remove AsyncInferenceConfig (aws/sagemaker-python-sdk#3124), and an
    async endpoint takes only InvokeEndpointAsync: both directions are planned replacements."""
    if direction == "from async":
        edit(scratch / GPT_NEO, "    type: realtime\n", "    type: async\n")
        commit_all(scratch, "async base")
        edit(scratch / GPT_NEO, "    type: async\n", "    type: realtime\n")
    else:
        edit(scratch / GPT_NEO, "    type: realtime\n", "    type: async\n")
    doc = refused(scratch, capsys)
    prod = actions(doc, "prod")
    assert prod[f"{NEO}.aws_sagemaker_endpoint_configuration.this"] == ["create", "delete"]
    assert prod[f"{NEO}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    assert prod[f"{NEO}.terraform_data.invocation"] == ["update"]
    assert f"{NEO}.terraform_data.kind" not in prod
    endpoint = change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert endpoint["triggers"] == ["invocation"] and "async <-> real-time" in endpoint["impact"]
    [finding] = e801(doc)
    assert (finding["file"], finding["path"]) == (GPT_NEO, "spec.deployment.type")
    assert finding["line"] == line_of(scratch / GPT_NEO, "    type: ")


def test_realtime_to_serverless_replaces_the_endpoint_and_allow_downtime_accepts_it(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / GPT_NEO,
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: serverless\n    memory_mb: 4096\n    max_concurrency: 5\n",
    )
    doc = refused(scratch, capsys)
    assert actions(doc, "prod")[f"{NEO}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    endpoint = change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert endpoint["triggers"] == ["kind"] and "serverless <-> instance-backed" in endpoint["impact"]
    assert [f["path"] for f in e801(doc)] == ["spec.deployment.type"]
    allow_downtime(scratch / GPT_NEO, "    max_concurrency: 5\n")
    doc = accepted(scratch, capsys)
    assert change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")["actions"] == DELETE_FIRST


def test_serverless_memory_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scratch / "specs/models/minilm-embeddings.yaml"
    edit(path, "memory_mb: 6144", "memory_mb: 4096")
    edit(
        path,
        "max_concurrency: 50, provisioned_concurrency: 2",
        "max_concurrency: 40, provisioned_concurrency: 4",
    )
    doc = accepted(scratch, capsys)
    minilm = 'module.endpoint["minilm-embeddings"]'
    prod = actions(doc, "prod")
    assert prod[f"{minilm}.aws_sagemaker_endpoint_configuration.this"] == ["create", "delete"]
    assert prod[f"{minilm}.aws_sagemaker_endpoint.this"] == ["update"]


# --- delete and rename are what the change asks for -----------------------------------------------


def test_deleting_a_spec_is_cautioned_not_refused(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch / GPT_NEO).unlink()
    doc = accepted(scratch, capsys)
    gone = change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert gone["actions"] == ["delete"] and gone["disruptive"] is True
    assert any(a["address"] == gone["address"] for a in doc["alerts"])
    assert e801(doc) == []


def test_turning_an_endpoint_into_an_inference_component_is_downtime_for_its_clients(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The endpoint goes while the spec stays: E801, at deployment.type, though no address is replaced."""
    edit(
        scratch / GPT_NEO,
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: inference-component\n    endpoint: gpu-pool\n    copies: 1\n"
        "    resources: {accelerators: 1, cpus: 1, memory_mb: 2048}\n",
    )
    doc = refused(scratch, capsys)
    prod = actions(doc, "prod")
    assert prod[f"{NEO}.aws_sagemaker_endpoint.this"] == ["delete"]
    assert prod['module.inference_component["gpt-neo-125m"].awscc_sagemaker_inference_component.this'] == [
        "create"
    ]
    [finding] = e801(doc)
    assert (finding["file"], finding["path"]) == (GPT_NEO, "spec.deployment.type")
