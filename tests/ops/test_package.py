"""sagespec package against moto's S3 on loopback."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest

from sagespec.artifacts import hashcache, lockfile, s3keys, tarball
from tests.ops.conftest import BUCKET, cli


def _versions(s3: Any, prefix: str) -> list[dict[str, Any]]:
    return s3.list_object_versions(Bucket=BUCKET, Prefix=prefix).get("Versions", [])


def _touch_all(folder: Path, when: int) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (when, when))


def test_package_twice_with_new_mtimes_uploads_one_object(
    ops_repo: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    first = capsys.readouterr().out
    lock = lockfile.read_lock(ops_repo)["flan-t5"]
    key = s3keys.artifact_key("flan-t5", lock.sha256, True)
    assert f"uploaded s3://{BUCKET}/{key}" in first

    _touch_all(ops_repo / "models", 1_600_000_000)
    (ops_repo / lockfile.LOCK_FILE).unlink()  # force the full build path, not the lock shortcut
    hashcache.forget()
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    second = capsys.readouterr().out
    assert f"already in S3: s3://{BUCKET}/{key}" in second
    assert lockfile.read_lock(ops_repo)["flan-t5"] == lock

    versions = _versions(s3, "models/flan-t5/")
    assert [(v["Key"], v["IsLatest"]) for v in versions] == [(key, True)]  # one object, one version
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["Metadata"]["sha256"] == lock.sha256
    assert head["ContentType"] == "application/gzip"


def test_uploaded_tarball_holds_code_and_weights(ops_repo: Path, s3: Any) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    lock = lockfile.read_lock(ops_repo)["flan-t5"]
    data = s3.get_object(Bucket=BUCKET, Key=s3keys.artifact_key("flan-t5", lock.sha256, True))["Body"].read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == lock.sha256
    assert data[4:8] == b"\0\0\0\0"  # gzip header mtime
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        gz.read()
        assert gz.mtime == 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        names = tar.getnames()
        assert {
            "code/inference.py",
            "code/requirements.txt",
            "config.json",
            "model.safetensors",
            "tokenizer/tokenizer.json",
        } <= set(names)
        assert all(m.mtime == 0 and m.uid == 0 and m.uname == "" for m in tar.getmembers())


def test_second_run_with_current_lock_skips_the_build(
    ops_repo: Path, s3: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    capsys.readouterr()

    def no_build(*args: object) -> str:
        raise AssertionError("rebuilt although the lock and S3 are current")

    monkeypatch.setattr(tarball, "write_tarball", no_build)
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    assert "already in S3" in capsys.readouterr().out


def test_changed_code_gives_a_new_key_and_lock(ops_repo: Path, s3: Any) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    before = lockfile.read_lock(ops_repo)["flan-t5"]
    with (ops_repo / "models/flan-t5/code/inference.py").open("a") as handle:
        handle.write("# tuned\n")
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    after = lockfile.read_lock(ops_repo)["flan-t5"]
    assert after.sha256 != before.sha256 and after.inputs["weights"] == before.inputs["weights"]
    keys = sorted(v["Key"] for v in _versions(s3, "models/flan-t5/"))
    assert keys == sorted(s3keys.artifact_key("flan-t5", e.sha256, True) for e in (before, after))


def test_dry_run_uploads_nothing_and_keeps_the_lock(
    ops_repo: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would upload s3://" in out and "would be updated" in out
    assert _versions(s3, "models/") == []
    assert not (ops_repo / lockfile.LOCK_FILE).exists()


def test_uncompressed_weights_mirror_the_folder(
    ops_repo: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "gpt-neo", "--env", "dev") == 0
    lock = lockfile.read_lock(ops_repo)["gpt-neo"]
    prefix = s3keys.artifact_key("gpt-neo", lock.sha256, False)
    assert lock.compressed is False and prefix.endswith("/")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"])
    assert keys == [
        prefix + n for n in ("code/inference.py", "code/requirements.txt", "config.json", "pytorch_model.bin")
    ]
    body = s3.get_object(Bucket=BUCKET, Key=prefix + "pytorch_model.bin")["Body"].read()
    assert body == (ops_repo / "models/gpt-neo/weights/pytorch_model.bin").read_bytes()
    capsys.readouterr()
    assert cli(ops_repo, "package", "gpt-neo", "--env", "dev") == 0
    assert "already in S3" in capsys.readouterr().out
    assert len(_versions(s3, prefix)) == 4


def test_lock_file_is_sorted_json_with_a_final_newline(ops_repo: Path, s3: Any) -> None:
    assert cli(ops_repo, "package", "gpt-neo", "--env", "dev") == 0
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    text = (ops_repo / lockfile.LOCK_FILE).read_text()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    assert list(json.loads(text)["artifacts"]) == ["flan-t5", "gpt-neo"]


def test_missing_bucket_is_a_usage_error(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 2
    assert "artifact bucket 'acme-sagespec-dev-artifacts' does not exist" in capsys.readouterr().err
    assert not (ops_repo / lockfile.LOCK_FILE).exists()


def test_model_with_nothing_to_package(ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(ops_repo, "package", "embedder", "--env", "dev") == 2
    assert "nothing to package" in capsys.readouterr().err


def test_unknown_model_lists_the_known_ones(
    ops_repo: Path, moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "package", "nope", "--env", "dev") == 2
    assert "flan-t5" in capsys.readouterr().err


def test_uploaded_keys_are_the_ones_render_writes(ops_repo: Path, s3: Any) -> None:
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    assert cli(ops_repo, "package", "gpt-neo", "--env", "dev") == 0
    assert cli(ops_repo, "render", "--env", "dev") == 0
    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    stored = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="models/")["Contents"]}
    for model, entry in lockfile.read_lock(ops_repo).items():
        key = s3keys.artifact_key(model, entry.sha256, entry.compressed)
        assert rendered["models"][model]["model_data"] == {
            "s3_uri": f"s3://{BUCKET}/{key}",
            "compressed": entry.compressed,
        }
        assert key in stored if entry.compressed else any(k.startswith(key) for k in stored)
    # new mtimes change nothing: the render stays current
    _touch_all(ops_repo / "models", 1_500_000_000)
    hashcache.forget()
    assert cli(ops_repo, "render", "--env", "dev", "--check") == 0


def test_large_artifacts_go_up_in_parts(ops_repo: Path, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from boto3.s3.transfer import TransferConfig

    from sagespec.ops import s3io

    mib = 1024 * 1024
    monkeypatch.setattr(
        s3io, "TRANSFER", TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib)
    )
    (ops_repo / "models/flan-t5/weights/model.safetensors").write_bytes(
        os.urandom(11 * mib)
    )  # incompressible
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev") == 0
    lock = lockfile.read_lock(ops_repo)["flan-t5"]
    head = s3.head_object(Bucket=BUCKET, Key=s3keys.artifact_key("flan-t5", lock.sha256, True))
    assert head["ETag"].strip('"').endswith("-3")  # three parts
    assert head["Metadata"]["sha256"] == lock.sha256 and head["ContentLength"] > 11 * mib
