"""Fixtures of the day-2 command tests: a private hash cache and small model folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec.ops import hashcache


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
