"""The deterministic artifact, its digests and the lock file."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from sagespec.artifacts import contents, hashcache, lockfile, s3keys, tarball
from sagespec.artifacts.lockfile import LockEntry
from sagespec.errors import SagespecError


def _members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()


def _tarball(weights: Path | None, code: Path | None) -> tuple[bytes, str]:
    out = io.BytesIO()
    digest = tarball.write_tarball(weights, code, out)
    return out.getvalue(), digest


def test_tarball_layout_and_normalised_headers(model_files: tuple[Path, Path]) -> None:
    data, _ = _tarball(*model_files)
    members = _members(data)
    assert [m.name for m in members] == [
        "code",
        "code/inference.py",
        "code/requirements.txt",
        "config.json",
        "model.safetensors",
        "tokenizer",
        "tokenizer/spiece.model",
    ]
    for m in members:
        assert (m.mtime, m.uid, m.gid, m.uname, m.gname) == (0, 0, 0, "", "")
        assert m.mode == (0o755 if m.isdir() else 0o644)
    # gzip header: magic, method, flags (no FNAME), mtime zero
    assert data[:3] == b"\x1f\x8b\x08" and data[3] == 0 and data[4:8] == b"\0\0\0\0"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        extracted = tar.extractfile("code/inference.py")
        assert extracted is not None and b"model_fn" in extracted.read()


def test_same_files_different_mtimes_same_bytes(model_files: tuple[Path, Path]) -> None:
    first, digest = _tarball(*model_files)
    for path in model_files[0].rglob("*"):
        os.utime(path, (1_000_000, 1_000_000))
    os.chmod(model_files[1] / "inference.py", 0o700)
    hashcache.forget()
    second, digest2 = _tarball(*model_files)
    assert first == second and digest == digest2
    assert lockfile.compute_entry(*model_files, compressed=True).sha256 == digest


def test_changed_content_changes_digests(model_files: tuple[Path, Path]) -> None:
    before = lockfile.compute_entry(*model_files, compressed=True)
    (model_files[1] / "inference.py").write_text("def model_fn(model_dir):\n    return None\n")
    after = lockfile.compute_entry(*model_files, compressed=True)
    assert before.sha256 != after.sha256
    assert before.inputs["weights"] == after.inputs["weights"]
    assert before.inputs["code"] != after.inputs["code"]


def test_renaming_a_file_changes_the_input_digest(model_files: tuple[Path, Path]) -> None:
    weights = model_files[0]
    before = contents.input_digest(weights)
    (weights / "config.json").rename(weights / "config2.json")
    assert contents.input_digest(weights) != before


def test_uncompressed_digest_is_the_manifest(model_files: tuple[Path, Path]) -> None:
    entry = lockfile.compute_entry(*model_files, compressed=False)
    manifest = contents.artifact_manifest(*model_files)
    assert entry.sha256 == contents.manifest_digest(manifest)
    assert [e.arcname for e in manifest] == [
        "code/inference.py",
        "code/requirements.txt",
        "config.json",
        "model.safetensors",
        "tokenizer/spiece.model",
    ]
    assert entry.compressed is False and set(entry.inputs) == {"weights", "code"}


def test_code_only_and_weights_only(model_files: tuple[Path, Path]) -> None:
    weights, code = model_files
    assert set(lockfile.compute_entry(None, code, True).inputs) == {"code"}
    names = [m.name for m in _members(_tarball(weights, None)[0])]
    assert "code" not in names and "model.safetensors" in names
    with pytest.raises(SagespecError, match="nothing to package"):
        lockfile.compute_entry(None, None, True)


def test_code_folder_inside_weights_is_packaged_once(tmp_path: Path) -> None:
    weights = tmp_path / "w"
    (weights / "src").mkdir(parents=True)
    (weights / "model.bin").write_bytes(b"w")
    (weights / "src" / "inference.py").write_text("x = 1\n")
    names = [m.name for m in _members(_tarball(weights, weights / "src")[0])]
    assert names == ["code", "code/inference.py", "model.bin"]


def test_collision_between_weights_and_code_is_refused(model_files: tuple[Path, Path]) -> None:
    weights, code = model_files
    (weights / "code").mkdir()
    (weights / "code" / "inference.py").write_text("other\n")
    with pytest.raises(SagespecError, match="both the weights folder and the code folder"):
        lockfile.compute_entry(weights, code, True)


def test_symlinks_are_refused(model_files: tuple[Path, Path]) -> None:
    weights = model_files[0]
    (weights / "link.json").symlink_to(weights / "config.json")
    with pytest.raises(SagespecError, match="symbolic link"):
        contents.input_digest(weights)


def test_caches_and_bytecode_are_ignored(model_files: tuple[Path, Path]) -> None:
    code = model_files[1]
    before = contents.input_digest(code)
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "inference.cpython-311.pyc").write_bytes(b"junk")
    (code / ".DS_Store").write_bytes(b"junk")
    assert contents.input_digest(code) == before


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SagespecError, match="no such folder"):
        contents.input_digest(tmp_path / "nope")


def test_disk_cache_is_used_for_big_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hashcache, "DISK_MIN_BYTES", 10)
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "big.bin").write_bytes(b"x" * 100)
    first = contents.input_digest(folder)
    cache_file = hashcache.cache_dir() / "file-sha256.json"  # type: ignore[operator]
    cached = json.loads(cache_file.read_text())
    assert list(cached) == [str((folder / "big.bin").absolute())]
    # Poison the cached hash: a fresh process trusts it while the stat matches...
    key = next(iter(cached))
    cached[key][1] = "0" * 64
    cache_file.write_text(json.dumps(cached))
    hashcache.forget()
    assert contents.input_digest(folder) != first
    # ...and rehashes as soon as the file changes.
    (folder / "big.bin").write_bytes(b"y" * 100)
    hashcache.forget()
    poisoned = contents.manifest_digest_of([("big.bin", 100, "0" * 64)])
    assert contents.input_digest(folder) not in (first, poisoned)


def test_keys() -> None:
    sha = "a" * 64
    assert s3keys.artifact_key("flan", sha, True) == f"models/flan/{sha}/model.tar.gz"
    assert s3keys.artifact_key("flan", sha, False) == f"models/flan/{sha}/"
    assert s3keys.hf_mirror_prefix("m", None) == "models/m/hf/main/"
    with pytest.raises(SagespecError):
        s3keys.hf_mirror_prefix("m", "../x")


def test_lock_round_trip(tmp_path: Path) -> None:
    assert lockfile.read_lock(tmp_path) == {}
    entry = LockEntry("b" * 64, True, {"weights": "c" * 64, "code": "d" * 64})
    lockfile.update_lock(tmp_path, "zeta", entry)
    lockfile.update_lock(tmp_path, "alpha", LockEntry("e" * 64, False, {}))
    text = (tmp_path / lockfile.LOCK_FILE).read_text()
    assert text.endswith("}\n") and text.index('"alpha"') < text.index('"zeta"') and '\n  "artifacts"' in text
    assert lockfile.read_lock(tmp_path) == {"alpha": LockEntry("e" * 64, False, {}), "zeta": entry}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"version": 1, "artifacts": {\n', f"{lockfile.LOCK_FILE}:2:1: malformed JSON"),
        (
            '{"version": 1,\n "artifacts": {\n  "m": {"sha256": "x", "compressed": true, "inputs": {}}}}\n',
            f"{lockfile.LOCK_FILE}:3: entry 'm': sha256",
        ),
        ('{"version": 2, "artifacts": {}}', f"{lockfile.LOCK_FILE}:1: expected"),
        (
            '{"version": 1, "artifacts": {"m": {"sha256": "'
            + "a" * 64
            + '", "compressed": 1, "inputs": {}}}}',
            "compressed must be true or false",
        ),
    ],
)
def test_malformed_lock_says_where(tmp_path: Path, text: str, where: str) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / lockfile.LOCK_FILE).write_text(text)
    with pytest.raises(SagespecError, match="restore the file") as info:
        lockfile.read_lock(tmp_path)
    assert where in str(info.value)


def _write_entries(root: str, writer: int, count: int) -> None:
    """One writer process: `count` entries of its own, one update_lock call each."""
    for index in range(count):
        digest = f"{writer:02x}{index:02x}".ljust(64, "0")
        lockfile.update_lock(Path(root), f"model-{writer}-{index}", LockEntry(digest, True, {}))


def test_concurrent_writers_lose_no_entry(tmp_path: Path) -> None:
    """8 processes x 5 entries: without the file lock, read-modify-write dropped most of them."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_entries, args=(str(tmp_path), w, 5)) for w in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    entries = lockfile.read_lock(tmp_path)
    assert sorted(entries) == sorted(f"model-{w}-{i}" for w in range(8) for i in range(5))


def test_a_held_lock_is_reported_not_waited_on_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    from sagespec import locks

    monkeypatch.setattr(lockfile, "LOCK_WAIT_SECONDS", 0.2)
    path = locks.lock_path(tmp_path, "artifacts-lock")
    path.parent.mkdir(parents=True)
    with FileLock(str(path)), pytest.raises(SagespecError, match="locked by another sagespec process"):
        lockfile.update_lock(tmp_path, "m", LockEntry("a" * 64, True, {}))
    assert lockfile.read_lock(tmp_path) == {}


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (None, {}),  # no lock file
        ('{"version": 1, "artifacts": {\n', {}),  # malformed JSON
        (b"\xff\xfe", {}),  # not UTF-8
        ('["not", "a", "mapping"]', {}),
        ('{"version": 1, "artifacts": []}', {}),
        # an old base's shape, which read_lock refuses, is still shown as written
        ('{"version": 2, "artifacts": {"m": {"sha256": "x"}}}', {"m": {"sha256": "x"}}),
    ],
)
def test_the_raw_read_shows_what_is_written_and_never_raises(
    tmp_path: Path, text: str | bytes | None, raw: dict[str, object]
) -> None:
    if text is not None:
        (tmp_path / "specs").mkdir()
        path = tmp_path / lockfile.LOCK_FILE
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    assert lockfile.read_raw_lock(tmp_path) == raw
    if text is not None:  # control: the same file is refused where the lock decides a deploy
        with pytest.raises(SagespecError):
            lockfile.read_lock(tmp_path)


def test_the_raw_read_of_a_valid_lock_holds_what_read_lock_parses(tmp_path: Path) -> None:
    entry = LockEntry("b" * 64, True, {"weights": "c" * 64})
    lockfile.update_lock(tmp_path, "m", entry)
    assert lockfile.read_raw_lock(tmp_path) == {
        "m": {"sha256": "b" * 64, "compressed": True, "inputs": {"weights": "c" * 64}}
    }
    assert lockfile.read_lock(tmp_path) == {"m": entry}
