"""sagespec promote against moto's S3: two env buckets, server-side copies verified by S3's SHA-256."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from sagespec.artifacts import lockfile, s3keys
from sagespec.ops import promote_copy as promote
from sagespec.ops import s3io
from tests.ops.conftest import BUCKET, cli

PROD = "acme-sagespec-prod-artifacts"


@pytest.fixture
def buckets(s3: Any) -> Any:
    s3.create_bucket(Bucket=PROD)
    s3.put_bucket_versioning(Bucket=PROD, VersioningConfiguration={"Status": "Enabled"})
    return s3


def _ship_to_dev(repo: Path, *models: str) -> None:
    for model in models:
        assert cli(repo, "package", model, "--env", "dev") == 0
    assert cli(repo, "render", "--all") == 0


def _key(repo: Path, model: str) -> str:
    entry = lockfile.read_lock(repo)[model]
    return s3keys.artifact_key(model, entry.sha256, entry.compressed)


def _prod_versions(s3: Any, prefix: str) -> list[dict[str, Any]]:
    return s3.list_object_versions(Bucket=PROD, Prefix=prefix).get("Versions", [])


def test_promote_copies_the_tarball_and_s3_checks_its_sha256(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    capsys.readouterr()
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 0
    assert "copied 1 of 1 object(s) dev -> prod, SHA-256 checked by S3" in capsys.readouterr().out
    key = _key(ops_repo, "flan-t5")
    sha = lockfile.read_lock(ops_repo)["flan-t5"].sha256
    head = buckets.head_object(Bucket=PROD, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(bytes.fromhex(sha)).decode()
    assert head["Metadata"]["sha256"] == sha and head["ContentType"] == "application/gzip"
    body = buckets.get_object(Bucket=PROD, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == sha
    rendered = json.loads((ops_repo / "envs/prod/rendered.tfvars.json").read_text())
    assert rendered["models"]["flan-t5"]["model_data"]["s3_uri"] == f"s3://{PROD}/{key}"


def test_uploads_ask_s3_for_a_sha256_checksum(ops_repo: Path, buckets: Any) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    sha = lockfile.read_lock(ops_repo)["flan-t5"].sha256
    head = buckets.head_object(Bucket=BUCKET, Key=_key(ops_repo, "flan-t5"), ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == promote.full_checksum(sha)


def test_promote_twice_copies_nothing(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5", "gpt-neo")
    assert cli(ops_repo, "promote", "--all", "--from", "dev", "--to", "prod") == 0
    capsys.readouterr()
    assert cli(ops_repo, "promote", "--all", "--from", "dev", "--to", "prod") == 0
    out = capsys.readouterr().out
    assert out.count("already in prod with the same SHA-256 checksum") == 2
    assert len(_prod_versions(buckets, "models/flan-t5/")) == 1
    assert len(_prod_versions(buckets, "models/gpt-neo/")) == 4  # one version per file


def test_uncompressed_prefix_is_copied_file_by_file(ops_repo: Path, buckets: Any) -> None:
    _ship_to_dev(ops_repo, "gpt-neo")
    assert cli(ops_repo, "promote", "gpt-neo", "--from", "dev", "--to", "prod") == 0
    prefix = _key(ops_repo, "gpt-neo")
    listed = lambda b: sorted(  # noqa: E731
        (o["Key"], o["Size"]) for o in buckets.list_objects_v2(Bucket=b, Prefix=prefix)["Contents"]
    )
    assert listed(PROD) == listed(BUCKET) and len(listed(PROD)) == 4
    weights = (ops_repo / "models/gpt-neo/weights/pytorch_model.bin").read_bytes()
    assert buckets.get_object(Bucket=PROD, Key=prefix + "pytorch_model.bin")["Body"].read() == weights


def test_incomplete_source_prefix_is_refused(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "gpt-neo")
    buckets.delete_object(Bucket=BUCKET, Key=_key(ops_repo, "gpt-neo") + "config.json")
    capsys.readouterr()
    assert cli(ops_repo, "promote", "gpt-neo", "--from", "dev", "--to", "prod") == 2
    assert "does not hold the files the lock names" in capsys.readouterr().err
    assert _prod_versions(buckets, "models/") == []


def test_artifact_missing_from_the_source_says_to_package(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "lock", "flan-t5") == 0  # locked, rendered, never uploaded
    assert cli(ops_repo, "render", "--all") == 0
    capsys.readouterr()
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 2
    err = capsys.readouterr().err
    assert f"s3://{BUCKET}/{_key(ops_repo, 'flan-t5')} is not in dev's bucket" in err
    assert "make package MODEL=<model> ENV=dev" in err


def test_bytes_that_do_not_match_their_sha256_are_not_left_behind(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    key, sha = _key(ops_repo, "flan-t5"), lockfile.read_lock(ops_repo)["flan-t5"].sha256
    # overwritten outside sagespec with other bytes but the old metadata, and no S3 checksum
    buckets.put_object(Bucket=BUCKET, Key=key, Body=b"tampered", Metadata={"sha256": sha})
    capsys.readouterr()
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 2
    assert "failed verification" in capsys.readouterr().err
    assert "Contents" not in buckets.list_objects_v2(Bucket=PROD, Prefix="models/")


def test_render_that_disagrees_with_the_lock_is_refused(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    with (ops_repo / "models/flan-t5/code/inference.py").open("a") as handle:
        handle.write("# changed\n")
    assert cli(ops_repo, "lock", "flan-t5") == 0  # new digest, prod not re-rendered
    capsys.readouterr()
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 2
    assert "run `make render ENV=prod`" in capsys.readouterr().err


def test_big_artifacts_are_copied_part_by_part(
    ops_repo: Path, buckets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boto3.s3.transfer import TransferConfig

    mib = 1024 * 1024
    monkeypatch.setattr(
        s3io, "TRANSFER", TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib)
    )
    monkeypatch.setattr(promote, "MAX_COPY_OBJECT_BYTES", 5 * mib)  # as if over CopyObject's 5 GiB
    (ops_repo / "models/flan-t5/weights/model.safetensors").write_bytes(os.urandom(11 * mib))
    _ship_to_dev(ops_repo, "flan-t5")
    key = _key(ops_repo, "flan-t5")
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 0
    src = buckets.head_object(Bucket=BUCKET, Key=key, ChecksumMode="ENABLED")
    dst = buckets.head_object(Bucket=PROD, Key=key, ChecksumMode="ENABLED")
    assert dst["ETag"] == src["ETag"] and dst["ETag"].strip('"').endswith("-3")  # same three parts
    assert dst["ChecksumSHA256"] == src["ChecksumSHA256"]
    assert dst["Metadata"]["sha256"] == lockfile.read_lock(ops_repo)["flan-t5"].sha256
    body = buckets.get_object(Bucket=PROD, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == dst["Metadata"]["sha256"]


def test_models_without_a_packaged_artifact(
    ops_repo: Path, buckets: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    assert cli(ops_repo, "promote", "embedder", "--from", "dev", "--to", "prod") == 2
    assert "has no packaged artifact" in capsys.readouterr().err
    assert cli(ops_repo, "promote", "flan-t5", "--from", "prod", "--to", "prod") == 2


def test_missing_target_bucket_is_a_clear_error(
    ops_repo: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _ship_to_dev(ops_repo, "flan-t5")
    capsys.readouterr()
    assert cli(ops_repo, "promote", "flan-t5", "--from", "dev", "--to", "prod") == 2
    assert "bucket 'acme-sagespec-prod-artifacts' of prod does not exist" in capsys.readouterr().err
