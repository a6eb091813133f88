"""A scratch repository with a model whose code/inference.py is small, pure Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import fixture_repo

SPEC = """apiVersion: sagespec/v1
kind: Model
metadata: {name: echo, owner: nlp}
spec:
  container: {framework: pytorch, version: "2.3.0"}
  weights: {local: {path: models/echo/weights}}
  code: models/echo/code
  environment: {GREETING: hello}
  deployment: {type: realtime, instance_type: ml.m5.large}
  smoke_test:
    payload: {inputs: "sagemaker"}
    expect: {json_path: "$.generated_text", equals: "hello sagemaker (3 words in vocab)"}
"""

INFERENCE = '''"""Test handlers: the vocabulary comes from the weights folder, as a real model's would."""

import json
import os


def model_fn(model_dir):
    with open(os.path.join(model_dir, "vocab.txt")) as handle:
        return {"vocab": handle.read().split(), "greeting": os.environ["GREETING"]}


def input_fn(request_body, content_type):
    if content_type != "application/json":
        raise ValueError("only JSON, please")
    return json.loads(request_body)


def predict_fn(data, model):
    return f"{model['greeting']} {data['inputs']} ({len(model['vocab'])} words in vocab)"


def output_fn(prediction, accept):
    return json.dumps({"generated_text": prediction}), "application/json"
'''


def write_code(root: Path, source: str) -> None:
    (root / "models" / "echo" / "code" / "inference.py").write_text(source)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "echo.yaml").write_text(SPEC)
    weights = root / "models" / "echo" / "weights"
    weights.mkdir(parents=True)
    (weights / "vocab.txt").write_text("a b c\n")
    (root / "models" / "echo" / "code").mkdir()
    write_code(root, INFERENCE)
    return root
