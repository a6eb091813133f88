"""`make bench`, the review: wall time of `sagespec review` with Terraform in the loop.

Two cases, each timed cold (a fresh cache: the stand-in mirror is built, Terraform initialises the
scratch workspace and applies the base) and warm (the same base again, as the next push of a pull
request finds it): the example repository with one spec changed (target: under 10 s), and a
one-spec change in the generated 1,000-spec repository (target: under 15 s). The floor, measured
in the same run, is what any review must pay without Terraform: loading, validating and rendering
both sides. The ratio says what putting Terraform in the loop costs on top.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import pipeline
from ..review import build_review
from ..spec.project import load_project
from . import run as bench

PARTS = ("specs", "envs", "models", "terraform", "modules")
TARGETS_S = {"example": 10.0, "1000 specs": 15.0}


def _git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.email=bench@sagespec", "-c", "user.name=bench", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def _commit(repo: Path) -> None:
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")


def _example(root: Path) -> Path:
    ignore = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan")
    for part in PARTS:
        if (bench.REPO / part).exists():
            shutil.copytree(bench.REPO / part, root / part, ignore=ignore)
    _commit(root)
    spec = root / "specs" / "models" / "gpt-neo-125m.yaml"
    spec.write_text(spec.read_text().replace("instance_type: ml.m5.large", "instance_type: ml.m5.xlarge"))
    return root


def _thousand(root: Path) -> Path:
    bench.generate(root, 1000)
    _commit(root)
    spec = root / "specs" / "models" / "model-0001.yaml"
    spec.write_text(spec.read_text().replace("instance_count: 1", "instance_count: 2"))
    return root


@contextmanager
def _cache(folder: Path) -> Iterator[None]:
    old = os.environ.get("SAGESPEC_CACHE_DIR")
    os.environ["SAGESPEC_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SAGESPEC_CACHE_DIR", None)
        else:
            os.environ["SAGESPEC_CACHE_DIR"] = old


def _wall(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _floor(repo: Path) -> None:
    """Both sides validated and rendered: the review's work without Terraform (the base twice over
    stands in for the base ref's checkout, which costs the same)."""
    for _ in range(2):
        pipeline.check(load_project(repo))


def measure(name: str, make: Callable[[Path], Path]) -> dict[str, float | str]:
    with tempfile.TemporaryDirectory(prefix="sagespec-bench-review-") as folder:
        repo = make(Path(folder) / "repo")
        floor = _wall(lambda: _floor(repo))
        with _cache(Path(folder) / "cache"):
            cold = _wall(lambda: build_review(repo, "main"))
            warm = _wall(lambda: build_review(repo, "main"))
    return {
        "case": name,
        "floor_s": round(floor, 2),
        "cold_s": round(cold, 2),
        "warm_s": round(warm, 2),
        "ratio_warm": round(warm / floor, 2),
        "target_s": TARGETS_S[name],
    }


def report(rows: list[dict[str, float | str]]) -> str:
    lines = [f"{'review':>11} {'floor':>7} {'cold':>7} {'warm':>7} {'warm/floor':>11} {'target':>7}"]
    for row in rows:
        lines.append(
            f"{row['case']:>11} {row['floor_s']:>6.2f}s {row['cold_s']:>6.2f}s {row['warm_s']:>6.2f}s "
            f"{row['ratio_warm']:>10.2f}x {row['target_s']:>6.0f}s"
        )
    return "\n".join(lines)


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    print(report([measure("example", _example), measure("1000 specs", _thousand)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
