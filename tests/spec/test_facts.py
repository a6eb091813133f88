"""spec/facts.py: the facts about a Model spec that rules, renderer and day-2 commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sagespec.spec import facts
from sagespec.spec.project import Resolution, Resolved, Source


def _resolved(name: str, spec: dict[str, Any]) -> Resolved:
    source = Source({"kind": "Model", "metadata": {"name": name}, "spec": spec}, Path(f"{name}.yaml"))
    return Resolved(source, "dev", spec)


def _resolution(models: dict[str, Resolved], endpoints: dict[str, Resolved]) -> Resolution:
    environment = Resolved(Source({"kind": "Environment", "spec": {}}, Path("env.yaml")), "dev", {})
    resolution = Resolution("dev", environment)
    resolution.models.update(models)
    resolution.endpoints.update(endpoints)
    return resolution


def test_an_artifact_is_built_for_local_weights_or_code_only() -> None:
    assert facts.needs_artifact({"weights": {"local": {"path": "w"}}})
    assert facts.needs_artifact({"weights": {"huggingface": {"model_id": "x"}}, "code": "models/x/code"})
    assert not facts.needs_artifact({"weights": {"huggingface": {"model_id": "x"}}})
    assert not facts.needs_artifact({"weights": {"s3": {"uri": "s3://b/k"}}, "code": ""})


def test_local_inputs_are_under_the_root() -> None:
    root = Path("/repo")
    spec = {"weights": {"local": {"path": "models/m/weights"}}, "code": "models/m/code"}
    assert facts.local_inputs(root, spec) == (root / "models/m/weights", root / "models/m/code")
    assert facts.local_inputs(root, {"weights": {"s3": {"uri": "s3://b/k"}}}) == (None, None)


def test_an_artifact_is_compressed_unless_the_spec_says_otherwise() -> None:
    assert facts.artifact_compressed({"weights": {"local": {"path": "w"}}})
    assert not facts.artifact_compressed({"weights": {"local": {"path": "w", "compressed": False}}})
    assert facts.artifact_compressed({"weights": {"huggingface": {"model_id": "x"}}, "code": "c"})


def test_the_instance_a_model_runs_on() -> None:
    pool = _resolved("pool", {"instance_type": "ml.g5.12xlarge"})
    own = _resolved("own", {"deployment": {"type": "async", "instance_type": "ml.g5.xlarge"}})
    component = _resolved("ic", {"deployment": {"type": "inference-component", "endpoint": "pool"}})
    orphan = _resolved("orphan", {"deployment": {"type": "inference-component", "endpoint": "gone"}})
    serverless = _resolved("sls", {"deployment": {"type": "serverless", "memory_mb": 2048}})
    resolution = _resolution({}, {"pool": pool})
    assert facts.instance_type_of(resolution, own) == "ml.g5.xlarge"
    assert facts.instance_type_of(resolution, component) == "ml.g5.12xlarge"
    assert facts.pool_of(resolution, component) is pool
    assert facts.instance_type_of(resolution, orphan) is None
    assert facts.instance_type_of(resolution, serverless) is None
    assert facts.pool_of(resolution, own) is None


def test_async_prefixes_sit_side_by_side() -> None:
    output = facts.async_prefix("bucket", "chat-prod", "output")
    assert output == "s3://bucket/async/chat-prod/output/"
    assert facts.async_input_beside(output) == facts.async_prefix("bucket", "chat-prod", "input")
