"""The repository's own examples: every scenario of DESIGN.md validates and renders."""

from __future__ import annotations

import json
from pathlib import Path

from sagespec import pipeline
from sagespec.spec.project import load_project

REPO = Path(__file__).resolve().parents[2]


def test_examples_have_no_errors() -> None:
    outcome = pipeline.check(load_project(REPO))
    errors = [f.format() for f in outcome.findings if f.severity == "error"]
    assert errors == []
    assert set(outcome.rendered) == {"dev", "staging", "prod"}


def test_every_deployment_type_is_exercised_in_prod() -> None:
    rendered = json.loads((REPO / "envs" / "prod" / "rendered.tfvars.json").read_text())
    types = {e["type"] for e in rendered["endpoints"].values()}
    assert types == {"realtime", "serverless", "async", "pool"}
    assert rendered["inference_components"]["mistral-7b-instruct"]["copies"] == 4
    falcon = rendered["endpoints"]["falcon-40b"]
    assert falcon["instance_type"] == "ml.g5.24xlarge"
    assert falcon["model_data_download_timeout_s"] == 3600
    assert rendered["models"]["falcon-40b"]["environment"]["OPTION_TENSOR_PARALLEL_DEGREE"] == "4"
    flan = rendered["models"]["flan-t5-biography"]["model_data"]
    assert flan["s3_uri"].startswith("s3://acme-sagespec-prod-artifacts/models/flan-t5-biography/")
    assert rendered["endpoints"]["flan-t5-biography"]["data_capture"]["sampling_percent"] == 100
    assert rendered["endpoints"]["minilm-embeddings"]["serverless"]["memory_mb"] == 6144
    assert rendered["endpoints"]["bart-summarizer"]["async"]["success_topic_arn"].startswith("arn:aws:sns:")


def test_dev_overlay_disables_falcon_and_shrinks_mistral() -> None:
    rendered = json.loads((REPO / "envs" / "dev" / "rendered.tfvars.json").read_text())
    assert "falcon-40b" not in rendered["models"]
    assert rendered["inference_components"]["mistral-7b-instruct"]["copies"] == 1
    assert rendered["endpoints"]["gpu-pool"]["instance_type"] == "ml.g5.2xlarge"
