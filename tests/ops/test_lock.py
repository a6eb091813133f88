"""sagespec lock (offline), package --dry-run without credentials, and renders in a clone without weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sagespec.artifacts import hashcache, lockfile, s3keys, tarball
from tests.ops.conftest import cli


def _no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials, and any endpoint a closed port: an AWS call would fail loudly."""
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")


def test_lock_writes_the_entry_package_would_write(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _no_aws(monkeypatch)
    assert cli(ops_repo, "lock", "flan-t5", "gpt-neo") == 0
    out = capsys.readouterr().out
    lock = lockfile.read_lock(ops_repo)
    weights, code = ops_repo / "models/flan-t5/weights", ops_repo / "models/flan-t5/code"
    assert lock["flan-t5"] == lockfile.compute_entry(weights, code, True)
    assert lock["flan-t5"].sha256 == tarball.write_tarball(weights, code, None)
    assert set(lock["flan-t5"].inputs) == {"weights", "code"}
    assert lock["gpt-neo"].compressed is False
    assert f"models/flan-t5/{lock['flan-t5'].sha256}/model.tar.gz" in out
    assert out.count("updated: commit it") == 2


def test_second_lock_changes_nothing(ops_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(ops_repo, "lock", "flan-t5") == 0
    before = (ops_repo / lockfile.LOCK_FILE).read_text()
    capsys.readouterr()
    hashcache.forget()
    assert cli(ops_repo, "lock", "flan-t5") == 0
    assert "unchanged" in capsys.readouterr().out
    assert (ops_repo / lockfile.LOCK_FILE).read_text() == before


def test_lock_goes_through_update_lock(ops_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = lockfile.update_lock
    monkeypatch.setattr(lockfile, "update_lock", lambda root, m, e: (calls.append(m), real(root, m, e)))
    assert cli(ops_repo, "lock", "flan-t5") == 0
    assert calls == ["flan-t5"]


@pytest.mark.parametrize(
    ("model", "message"),
    [("embedder", "has nothing to lock"), ("nope", "no kind Model named 'nope'")],
)
def test_lock_refuses_models_without_local_files(
    ops_repo: Path, model: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(ops_repo, "lock", model) == 2
    assert message in capsys.readouterr().err
    assert not (ops_repo / lockfile.LOCK_FILE).exists()


def test_lock_without_the_weights_says_where_to_run_it(
    ops_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(ops_repo / "models/flan-t5/weights")
    assert cli(ops_repo, "lock", "flan-t5") == 2
    err = capsys.readouterr().err
    assert "models/flan-t5/weights: no such folder" in err and "hint:" in err


def test_lock_refuses_weights_that_differ_per_environment(
    ops_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = ops_repo / "specs/models/flan-t5.yaml"
    spec.write_text(
        spec.read_text() + "environments:\n  prod: {weights: {local: {path: models/gpt-neo/weights}}}\n"
    )
    assert cli(ops_repo, "lock", "flan-t5") == 2
    assert "different files per environment" in capsys.readouterr().err


def test_big_weights_get_a_hint_toward_uncompressed(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sagespec.ops import lock as lock_cli

    monkeypatch.setattr(lock_cli, "BIG_WEIGHTS_BYTES", 1)
    assert cli(ops_repo, "lock", "flan-t5", "gpt-neo") == 0
    out = capsys.readouterr().out
    assert out.count("compressed: false") == 1  # flan-t5 only: gpt-neo already is uncompressed


def test_package_dry_run_needs_no_credentials(
    ops_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _no_aws(monkeypatch)
    assert cli(ops_repo, "package", "flan-t5", "--env", "dev", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would upload s3://acme-sagespec-dev-artifacts/models/flan-t5/" in out
    assert "a dry run makes no AWS call" in out
    assert not (ops_repo / lockfile.LOCK_FILE).exists()


def _clone_without_weights(repo: Path) -> None:
    """What CI checks out: the lock and the code, not the git-ignored weights."""
    assert cli(repo, "lock", "flan-t5", "gpt-neo") == 0
    for model in ("flan-t5", "gpt-neo"):
        shutil.rmtree(repo / f"models/{model}/weights")
    hashcache.forget()


def test_validate_in_a_clone_without_weights_trusts_the_lock(
    ops_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clone_without_weights(ops_repo)
    capsys.readouterr()
    assert cli(ops_repo, "validate", "--strict", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"errors": 0, "warnings": 0}  # infos are neither
    findings = report["findings"]
    infos = [f for f in findings if f["code"] == "I701"]
    assert {f["file"] for f in infos} == {"specs/models/flan-t5.yaml", "specs/models/gpt-neo.yaml"}
    assert all(f["severity"] == "info" for f in infos)
    assert not [f for f in findings if f["code"] == "E701"]
    assert cli(ops_repo, "validate", "--format", "github") == 0
    assert "::notice file=specs/models/flan-t5.yaml" in capsys.readouterr().out


def test_render_in_a_clone_without_weights_uses_the_lock_and_says_so(
    ops_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clone_without_weights(ops_repo)
    entry = lockfile.read_lock(ops_repo)["flan-t5"]
    capsys.readouterr()
    assert cli(ops_repo, "render", "--env", "dev") == 0
    assert "info[I701]: weights of flan-t5 not here: using its lock entry" in capsys.readouterr().err
    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    key = s3keys.artifact_key("flan-t5", entry.sha256, True)
    assert rendered["models"]["flan-t5"]["model_data"]["s3_uri"] == f"s3://acme-sagespec-dev-artifacts/{key}"


def test_no_lock_and_no_files_is_still_an_error(ops_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(ops_repo / "models/flan-t5/weights")
    assert cli(ops_repo, "validate") == 1
    out = capsys.readouterr().out
    assert "error[E701]" in out and "make lock MODEL=flan-t5" in out


def test_mirror_dry_run_needs_no_credentials_either(
    ops_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.ops.conftest import fill_hf_cache

    cache = tmp_path / "hf-cache"
    fill_hf_cache(cache, "sagespec-test/tiny-llm", {"config.json": b"{}", "model.safetensors": b"\0" * 64})
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    _no_aws(monkeypatch)
    assert cli(ops_repo, "package", "tiny-llm", "--env", "dev", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would upload s3://acme-sagespec-dev-artifacts/models/tiny-llm/hf/main/" in out
    assert "a dry run makes no AWS call" in out
