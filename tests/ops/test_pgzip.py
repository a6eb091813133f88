"""The parallel gzip: the same bytes whatever the thread count, and plain gzip to every reader."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

from sagespec.artifacts import pgzip, tarball
from tests.ops.conftest import make_model_files


def _data(size: int) -> bytes:
    rnd = random.Random(7)  # half text-like, half noise: several blocks that really deflate
    words = [bytes(rnd.choice(b"abcdefgh") for _ in range(rnd.randint(2, 9))) for _ in range(500)]
    text = b" ".join(rnd.choice(words) for _ in range(size // 10))[: size // 2]
    return text + rnd.randbytes(size - len(text))


def _compress(data: bytes, threads: int, piece: int) -> bytes:
    sink = io.BytesIO()
    with pgzip.Writer(sink, threads) as gz:
        for start in range(0, len(data), piece):
            gz.write(data[start : start + piece])
        assert gz.tell() == len(data)
    return sink.getvalue()


def test_same_bytes_on_one_or_many_threads() -> None:
    data = _data(3 * pgzip.BLOCK_SIZE + 12345)
    outputs = {threads: _compress(data, threads, 64 * 1024) for threads in (1, 2, 4)}
    assert len(set(outputs.values())) == 1
    out = outputs[1]
    assert gzip.decompress(out) == data
    assert out[4:8] == b"\0\0\0\0"  # no mtime in the header
    assert len(out) < len(data) * 0.8  # the text half compressed


def test_tarball_digest_does_not_depend_on_the_thread_count(tmp_path: Path) -> None:
    weights, code = make_model_files(tmp_path / "m", weights_bytes=_data(2 * pgzip.BLOCK_SIZE + 7))
    digests = {tarball.write_tarball(weights, code, None, threads) for threads in (1, 3)}
    assert len(digests) == 1
    assert tarball.write_tarball(weights, code, None) in digests  # default: every usable core


def test_usable_cores_is_at_least_one() -> None:
    assert pgzip.usable_cores() >= 1
