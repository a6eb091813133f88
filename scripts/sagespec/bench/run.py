"""`make bench`: validate + render of generated repositories against the YAML-parse floor.

The floor is what any tool must pay: reading and parsing the same files with PyYAML's C loader.
The target is validate + render of every environment within 3x of that floor, growing linearly
with the number of specs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from .. import pipeline
from ..placement import bench as placement_bench
from ..spec.project import load_project, spec_files

ENVS = ("dev", "staging", "prod")
REPO = Path(__file__).resolve().parents[3]  # the sagespec repository: its terraform/ and modules/
POOL_SIZE = 8  # copies sharing one pool: 1 GPU each on an 8-GPU ml.g5.48xlarge


def _env(name: str) -> str:
    return f"""apiVersion: sagespec/v1
kind: Environment
metadata: {{name: {name}}}
spec:
  aws: {{region: us-east-1, account_id: "123456789012"}}
  artifacts: {{bucket: bench-{name}-artifacts}}
  policy:
    allowed_instance_types: ["ml.g5.*", "ml.m5.*"]
"""


def _pool(index: int) -> str:
    return f"""apiVersion: sagespec/v1
kind: Endpoint
metadata: {{name: pool-{index}, owner: platform}}
spec:
  instance_type: ml.g5.48xlarge
  instance_count: 1
  managed_scaling: {{min_instances: 1, max_instances: 2}}
environments:
  dev: {{instance_count: 1, managed_scaling: null}}
"""


def _model(index: int) -> str:
    kind = index % 4
    if kind == 0:
        deployment = (
            f"    type: inference-component\n    endpoint: pool-{index // (4 * POOL_SIZE)}\n"
            "    copies: 1\n    resources: {accelerators: 1, cpus: 2, memory_mb: 8192}\n"
            "    autoscaling: {min_copies: 1, max_copies: 1, target_invocations_per_copy: 10}\n"
        )
        container = 'framework: tgi, version: "3.0.1"'
    elif kind == 1:
        deployment = (
            "    type: realtime\n    instance_type: ml.g5.2xlarge\n    instance_count: 1\n"
            "    autoscaling: {min_instances: 1, max_instances: 2, target_invocations_per_instance: 50}\n"
        )
        container = 'framework: tgi, version: "3.0.1"'
    elif kind == 2:
        deployment = "    type: serverless\n    memory_mb: 4096\n    max_concurrency: 20\n"
        container = 'framework: tei, version: "1.8.2"'
    else:
        deployment = (
            "    type: async\n    instance_type: ml.m5.xlarge\n"
            "    autoscaling: {min_instances: 0, max_instances: 2, target_backlog_per_instance: 5}\n"
        )
        container = 'framework: huggingface, version: "4.49.0"'
    return f"""apiVersion: sagespec/v1
kind: Model
metadata:
  name: model-{index:04d}
  owner: team-{index % 17}
  description: generated model {index}
  tags: {{product: bench}}
spec:
  container: {{{container}}}
  weights:
    huggingface: {{model_id: org/model-{index}, revision: main}}
  environment: {{MAX_INPUT_LENGTH: 1024, MAX_TOTAL_TOKENS: 2048}}
  deployment:
{deployment}environments:
  dev:
    deployment: {{}}
"""


def generate(root: Path, models: int) -> Path:
    for env in ENVS:
        (root / "envs" / env).mkdir(parents=True, exist_ok=True)
        (root / "envs" / env / "env.yaml").write_text(_env(env))
        (root / "envs" / env / "backend.hcl").write_text(f'bucket = "bench-{env}-state"\n')
    (root / "specs" / "models").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "endpoints").mkdir(parents=True, exist_ok=True)
    pools = (models + 4 * POOL_SIZE - 1) // (4 * POOL_SIZE)
    for index in range(pools):
        (root / "specs" / "endpoints" / f"pool-{index}.yaml").write_text(_pool(index))
    for index in range(models):
        (root / "specs" / "models" / f"model-{index:04d}.yaml").write_text(_model(index))
    for part in ("terraform", "modules"):  # the review plans with the real HCL
        ignore = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan")
        shutil.copytree(REPO / part, root / part, ignore=ignore, dirs_exist_ok=True)
    return root


def _cpu_seconds(fn: Callable[[], object]) -> float:
    # CPU time of this process: on a shared two-core machine wall time measures the neighbours
    start = time.process_time()
    fn()
    return time.process_time() - start


def floor(root: Path) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in [*spec_files(root), *sorted((root / "envs").glob("*/env.yaml"))]:
        yaml.load(path.read_bytes(), Loader=loader)


def full(root: Path) -> None:
    outcome = pipeline.check(load_project(root))
    errors = [f.format() for f in outcome.findings if f.severity == "error"]
    if errors or set(outcome.rendered) != set(ENVS):
        raise SystemExit("bench repository does not validate:\n" + "\n".join(errors[:10]))


def measure(models: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sagespec-bench-") as folder:
        root = generate(Path(folder), models)
        full(root)  # warm caches (botocore model, catalogs) as a long-running CI job would have
        floors, totals = [], []
        for _ in range(repeat):  # interleaved, so both see the same machine
            floors.append(_cpu_seconds(lambda: floor(root)))
            totals.append(_cpu_seconds(lambda: full(root)))
        base, total = min(floors), min(totals)
    return {
        "specs": models,
        "floor_s": round(base, 4),
        "validate_render_s": round(total, 4),
        "ratio": round(total / base, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--placement-fleets", type=int, nargs="*", default=list(placement_bench.SIZES))
    args = parser.parse_args()
    rows = [measure(n, args.repeat) for n in args.models]
    placement_rows = [placement_bench.measure(n) for n in args.placement_fleets]
    if args.json:
        print(json.dumps({"validate_render": rows, "placement": placement_rows}, indent=2))
        return 0
    print(f"{'specs':>6} {'parse floor':>12} {'validate+render (3 envs)':>25} {'ratio':>6} {'per spec':>9}")
    for row in rows:
        per = row["validate_render_s"] / row["specs"] * 1000
        print(
            f"{row['specs']:>6} {row['floor_s']:>11.3f}s {row['validate_render_s']:>24.3f}s "
            f"{row['ratio']:>5.2f}x {per:>7.2f}ms"
        )
    if placement_rows:
        print()
        print(placement_bench.report(placement_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
