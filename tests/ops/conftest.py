"""Fixtures of the day-2 command tests: a private hash cache and small model folders."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sagespec.artifacts import hashcache
from tests.helpers.rendered import rendered as committed_render


@pytest.fixture(autouse=True)
def _private_hash_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGESPEC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    hashcache.forget()


def make_model_files(base: Path, weights_bytes: bytes = b"\x00\x01weights" * 100) -> tuple[Path, Path]:
    """A weights folder and a code folder like the Flan-T5 scenario's."""
    weights, code = base / "weights", base / "code"
    (weights / "tokenizer").mkdir(parents=True)
    (weights / "model.safetensors").write_bytes(weights_bytes)
    (weights / "config.json").write_text('{"model_type": "t5"}\n')
    (weights / "tokenizer" / "spiece.model").write_bytes(b"spiece")
    code.mkdir()
    (code / "inference.py").write_text("def model_fn(model_dir):\n    return model_dir\n")
    (code / "requirements.txt").write_text("transformers==4.44.2\n")
    return weights, code


@pytest.fixture
def model_files(tmp_path: Path) -> tuple[Path, Path]:
    return make_model_files(tmp_path / "model")


OPS_REPO = Path(__file__).resolve().parent.parent / "fixtures" / "ops" / "repo"
BUCKET = "acme-sagespec-dev-artifacts"


@pytest.fixture
def ops_repo(tmp_path: Path) -> Path:
    """A scratch copy of tests/fixtures/ops/repo: specs, envs (dev, prod) with rendered files, model
    files, and this repository's HCL."""
    import shutil

    from tests.helpers.repo import add_hcl

    dest = tmp_path / "repo"
    shutil.copytree(OPS_REPO, dest)
    return add_hcl(dest)


def cli(repo: Path, *argv: str) -> int:
    from sagespec.cli import main

    return main(["--root", str(repo), *argv])


@pytest.fixture
def s3(moto: str) -> object:
    """An S3 client on the moto server, with the dev artifact bucket created (versioned, to count uploads)."""
    import boto3

    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return client


def fill_hf_cache(cache: Path, repo_id: str, files: dict[str, bytes], revision: str = "main") -> str:
    """Lay out a Hugging Face hub cache as huggingface_hub does (blobs, snapshot links, refs)."""
    import hashlib

    commit = hashlib.sha1(repr(sorted(files.items())).encode()).hexdigest()
    base = cache / f"models--{repo_id.replace('/', '--')}"
    (base / "refs").mkdir(parents=True)
    (base / "refs" / revision).write_text(commit)
    for name, data in files.items():
        blob = base / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        link = base / "snapshots" / commit / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    return commit


ROLE = "arn:aws:iam::123456789012:role/sagespec-dev-execution"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0-cpu"


def tags(env: str | None, **extra: str) -> list[dict[str, str]]:
    base = {"managed-by": "sagespec", "sagespec-env": env} if env else {}
    return [{"Key": k, "Value": v} for k, v in {**base, **extra}.items() if v is not None]


def make_model(sm: Any, name: str, env: str | None) -> None:
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE}, Tags=tags(env))


def make_config(sm: Any, name: str, model: str, env: str | None, instance_type: str = "ml.m5.xlarge") -> None:
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": model,
        "InitialInstanceCount": 1,
        "InstanceType": instance_type,
    }
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[variant], Tags=tags(env))


def make_endpoint(sm: Any, name: str, config: str, model: str, env: str | None) -> None:
    """A model, its endpoint config and an endpoint, all tagged for `env` (None: untagged)."""
    make_model(sm, model, env)
    make_config(sm, config, model, env)
    sm.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=tags(env))


def deploy_rendered(
    sm: Any,
    env: str,
    rendered: dict[str, Any] | None = None,
    *,
    only: set[str] | None = None,
    configs: dict[str, str] | None = None,
) -> None:
    """What the render says runs in `env`, created in moto with the rendered names and tagged for
    `env`: every model, and every endpoint but the pools (they would host inference components,
    which moto has none of) with its endpoint config on its model and its instance type.

    rendered: the render to deploy (envs/<env>/rendered.tfvars.json of the ops fixture repo unless
    given); only: these endpoint keys and their models, not all; configs: endpoint key -> the config
    it runs instead of the rendered one (a drifted or rolled-back endpoint; the config is created)."""
    render = committed_render(env) if rendered is None else rendered
    endpoints = {
        key: ep
        for key, ep in sorted(render["endpoints"].items())
        if ep["type"] != "pool" and (only is None or key in only)
    }
    keys = {ep["model_key"] for ep in endpoints.values()} if only is not None else set(render["models"])
    for key in sorted(keys):
        make_model(sm, render["models"][key]["name"], env)
    for key, ep in endpoints.items():
        config = (configs or {}).get(key, ep["config_name"])
        make_config(sm, config, render["models"][ep["model_key"]]["name"], env, ep["instance_type"])
        sm.create_endpoint(EndpointName=ep["name"], EndpointConfigName=config, Tags=tags(env))


@pytest.fixture
def sm(moto: str) -> Any:
    import boto3

    return boto3.client("sagemaker", region_name="us-east-1")


def queue_results(moto_url: str, *bodies: str, content_type: str = "application/json") -> None:
    """Answers moto's sagemaker-runtime gives to the next invocations, in order."""
    import json
    import urllib.request

    results = [
        {
            "Body": b,
            "ContentType": content_type,
            "InvokedProductionVariant": "AllTraffic",
            "CustomAttributes": "",
        }
        for b in bodies
    ]
    request = urllib.request.Request(
        f"{moto_url}/moto-api/static/sagemaker/endpoint-results",
        data=json.dumps({"results": results, "region": "us-east-1"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback
        response.read()
