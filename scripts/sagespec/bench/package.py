"""`make bench` (packaging part): model.tar.gz throughput against `tar | gzip -1` and `tar | pigz -6`.

All three read the same generated weights folder in the same run, best of --repeat, wall time
(compression runs on several cores, so CPU time would flatter the parallel tools). The weights
are fp16-like (a random mantissa byte, an exponent byte from a narrow range), which deflates
about as badly as real safetensors do. pigz missing from PATH is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

from ..artifacts import pgzip, tarball

MB = 1000 * 1000
_CHUNK = 8 * 1024 * 1024


def make_weights(folder: Path, size_mb: int) -> Path:
    """A weights folder of size_mb MB in 8 MiB pieces, never held in memory at once."""
    weights = folder / "weights"
    weights.mkdir(parents=True)
    rnd = random.Random(11)
    exponents = bytes(0x38 + min(7, int(abs(rnd.gauss(0, 2)))) for _ in range(256))  # a narrow range
    table = bytes.maketrans(bytes(range(256)), exponents)
    left = size_mb * MB
    with (weights / "model.safetensors").open("wb") as handle:
        while left > 0:
            half = min(_CHUNK, left) // 2
            block = bytearray(2 * half)
            block[0::2] = os.urandom(half)
            block[1::2] = os.urandom(half).translate(table)
            handle.write(block)
            left -= len(block)
    (weights / "config.json").write_text('{"model_type": "t5"}\n')
    return weights


class _Sink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _sagespec(weights: Path) -> int:
    sink = _Sink()
    tarball.write_tarball(weights, None, cast(BinaryIO, sink))  # only write() and flush() are used
    return sink.size


def _pipeline(weights: Path, compressor: list[str]) -> int:
    with tempfile.TemporaryFile() as out:
        tar = subprocess.Popen(["tar", "-cf", "-", "-C", str(weights), "."], stdout=subprocess.PIPE)
        assert tar.stdout is not None
        done = subprocess.run(compressor, stdin=tar.stdout, stdout=out, check=True)
        tar.stdout.close()
        if tar.wait() != 0 or done.returncode != 0:
            raise SystemExit(f"{' '.join(compressor)} failed")
        return out.tell()


Tool = Callable[[Path], int]


def _best(fn: Tool, weights: Path, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = fn(weights)
        times.append(time.perf_counter() - start)
    return min(times), size


def measure(size_mb: int, repeat: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sagespec-bench-pkg-") as folder:
        weights = make_weights(Path(folder), size_mb)
        before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tools: list[tuple[str, Tool]] = [
            (f"sagespec (isal level {pgzip.LEVEL}, {pgzip.usable_cores()} threads)", _sagespec)
        ]
        tools.append(("tar | gzip -1", lambda w: _pipeline(w, ["gzip", "-1"])))
        pigz = shutil.which("pigz")
        skipped = None if pigz else "pigz not on PATH (apt-get install pigz): tar | pigz -6 skipped"
        if pigz:
            tools.append(("tar | pigz -6", lambda w: _pipeline(w, [pigz, "-6"])))
        for name, fn in tools:
            seconds, size = _best(fn, weights, repeat)
            rows.append(
                {
                    "tool": name,
                    "seconds": round(seconds, 3),
                    "mb_per_s": round(size_mb / seconds, 1),
                    "ratio": round(size / (size_mb * MB), 3),
                }
            )
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        one = tarball.write_tarball(weights, None, None, threads=1)
        same = one == tarball.write_tarball(weights, None, None, threads=max(2, pgzip.usable_cores()))
    return {
        "input_mb": size_mb,
        "rows": rows,
        "skipped": skipped,
        "peak_rss_growth_mb": round((peak_kb - before_kb) / 1000, 1),
        "same_bytes_on_1_and_n_threads": same,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=128, help="size of the generated weights")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.size_mb, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"model.tar.gz of {args.size_mb} MB of fp16-like weights, best of {args.repeat} (wall time)")
    print(f"{'tool':<40} {'seconds':>8} {'MB/s':>8} {'size/input':>11}")
    for row in result["rows"]:
        print(f"{row['tool']:<40} {row['seconds']:>8.3f} {row['mb_per_s']:>8.1f} {row['ratio']:>11.3f}")
    if result["skipped"]:
        print(result["skipped"])
    print(
        f"sagespec: peak memory grew {result['peak_rss_growth_mb']} MB while packaging; "
        f"same bytes on 1 and N threads: {result['same_bytes_on_1_and_n_threads']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
