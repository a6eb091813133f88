"""Mirroring a Hugging Face snapshot from a pre-filled, offline hub cache into moto's S3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sagespec.artifacts import lockfile
from tests.ops.conftest import BUCKET, cli, fill_hf_cache

FILES = {
    "config.json": b'{"model_type": "llama"}',
    "model.safetensors": b"\x00" * 2048,
    "tokenizer/tokenizer.json": b'{"v": 1}',
}
PREFIX = "models/tiny-llm/hf/main/"


@pytest.fixture
def hf_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "hf-cache"
    fill_hf_cache(cache, "sagespec-test/tiny-llm", FILES)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache


def _keys(s3: Any) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX).get("Contents", []))


def test_mirror_uploads_the_snapshot_uncompressed(
    ops_repo: Path, s3: Any, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "tiny-llm", "--env", "dev") == 0
    assert _keys(s3) == [PREFIX + name for name in sorted(FILES)]
    body = s3.get_object(Bucket=BUCKET, Key=PREFIX + "model.safetensors")["Body"].read()
    assert body == FILES["model.safetensors"]
    assert not (ops_repo / lockfile.LOCK_FILE).exists()  # the key comes from the spec, not the lock
    capsys.readouterr()
    assert cli(ops_repo, "package", "tiny-llm", "--env", "dev") == 0
    assert "already in S3" in capsys.readouterr().out


def test_mirror_removes_files_the_revision_no_longer_has(ops_repo: Path, s3: Any, hf_cache: Path) -> None:
    s3.put_object(Bucket=BUCKET, Key=PREFIX + "pytorch_model.bin", Body=b"old")
    assert cli(ops_repo, "package", "tiny-llm", "--env", "dev") == 0
    assert PREFIX + "pytorch_model.bin" not in _keys(s3)


def test_offline_without_the_snapshot_is_a_usage_error(
    ops_repo: Path,
    s3: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert cli(ops_repo, "package", "tiny-llm", "--env", "dev") == 2
    assert "not in the Hugging Face cache" in capsys.readouterr().err


def test_token_comes_from_the_spec_secret_when_online_without_hf_token(
    moto: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    from sagespec.ops import hfmirror

    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    arn = secrets.create_secret(Name="hf-token", SecretString="hf_test_value\n")["ARN"]
    spec = {"model_id": "org/model", "token_secret": arn}
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    assert hfmirror.hf_token(spec, secrets) == "hf_test_value"
    monkeypatch.setenv("HF_TOKEN", "from-env")
    assert hfmirror.hf_token(spec, secrets) is None  # huggingface_hub reads HF_TOKEN itself
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hfmirror.hf_token(spec, secrets) is None  # offline: no token needed, no AWS call
