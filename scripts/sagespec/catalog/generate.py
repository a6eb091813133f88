"""Regenerate images.json and instances.json from the packages that publish the facts.

    python -m sagespec.catalog.generate [--verify] [--out DIR]     (make catalog)

Build-time inputs, none needed at run time: the SageMaker SDK's image configs (package
sagemaker-core, the `catalog` extra), botocore's SageMaker model and partitions, and moto's copy
of EC2 DescribeInstanceTypes. Each file is stamped with the package versions and the date.
`--verify` resolves every image through the SDK's own `image_uris.retrieve` and compares.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import botocore
import botocore.loaders

from .. import atomic
from . import images, instances, sagemaker_api
from .dump import dumps

HERE = Path(__file__).resolve().parent
GENERATOR = "python -m sagespec.catalog.generate"
# (distribution, folder inside it): SDK v3 moved the configs into sagemaker-core.
SDK_LOCATIONS = (
    ("sagemaker-core", "sagemaker/core/image_uri_config"),
    ("sagemaker", "sagemaker/image_uri_config"),
)
MOTO_EC2 = "moto/ec2/resources/instance_types.json.gz"

Json = dict[str, Any]


def sdk_config_dir() -> tuple[str, str, Path]:
    """(distribution, version, folder) of the installed SDK image configs, without importing the SDK."""
    for dist_name, folder in SDK_LOCATIONS:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        path = Path(str(dist.locate_file(folder)))
        if path.is_dir():
            return dist_name, dist.version, path
    sys.exit(
        "sagespec.catalog.generate: the SageMaker SDK is not installed; run `make catalog` "
        "(it installs the `catalog` extra) or `pip install sagemaker-core`"
    )


def partitions() -> tuple[Callable[[str], str | None], dict[str, str]]:
    """(region -> partition id, partition id -> DNS suffix) from botocore's partitions data."""
    data = botocore.loaders.Loader().load_data("partitions")["partitions"]
    suffix = {p["id"]: p["outputs"]["dnsSuffix"] for p in data}

    def partition_of(region: str) -> str | None:
        for p in data:
            if region in p["regions"] or re.fullmatch(p["regionRegex"], region):
                return str(p["id"])
        return None

    return partition_of, suffix


def ec2_instance_types() -> tuple[str, dict[str, Json]]:
    dist = metadata.distribution("moto")
    with gzip.open(str(dist.locate_file(MOTO_EC2)), "rt", encoding="utf-8") as handle:
        return dist.version, json.load(handle)


def meta(sources: dict[str, str], **extra: Any) -> Json:
    return {
        "generated": datetime.date.today().isoformat(),
        "generator": GENERATOR,
        "sources": sources,
        **extra,
    }


def images_doc(sdk: tuple[str, str, Path]) -> Json:
    dist_name, version, folder = sdk
    names = sorted({name for names in images.SDK_CONFIGS.values() for name in names})
    configs = {name: json.loads((folder / f"{name}.json").read_text()) for name in names}
    partition_of, suffix = partitions()
    body = images.build(configs, partition_of)
    used = sorted(set(body["regions"].values()))
    return {
        "_meta": meta(
            {
                dist_name: f"{version}: {folder.name}/*.json",
                "botocore": f"{botocore.__version__}: partitions",
            },
            sdk_configs={fw: list(n) for fw, n in images.SDK_CONFIGS.items()},
            versions="the SDK's own version keys; huggingface is the transformers version on its newest "
            "PyTorch base; lmi is the DJL Serving version",
        ),
        "partitions": {p: suffix[p] for p in used},
        **body,
    }


def instances_doc(sdk: tuple[str, str, Path]) -> Json:
    dist_name, version, folder = sdk
    moto_version, ec2 = ec2_instance_types()
    gpu_info = json.loads((folder / "instance_gpu_info.json").read_text())
    rows = instances.build(sagemaker_api.instance_types(), ec2, instances.merged_sdk_gpu_info(gpu_info))
    return {
        "_meta": meta(
            {
                instances.EC2: f"moto {moto_version}: {MOTO_EC2} (EC2 DescribeInstanceTypes; ml.X is EC2 X)",
                instances.SDK_GPU: f"{dist_name} {version}: {folder.name}/instance_gpu_info.json "
                "(GPU count and memory only)",
                instances.NONE: "no offline source knows this type: every field unknown",
            },
            types=f"botocore {botocore.__version__}: sagemaker ProductionVariantInstanceType",
            columns=[
                "vcpus",
                "memory_gib",
                "gpus",
                "gpu_memory_gib",
                "accelerator",
                "accelerator_name",
                "source",
                "local_storage_gb",
            ],
        ),
        "instances": rows,
    }


def verify(
    doc: Json, regions: Sequence[str] = ("us-east-1", "cn-north-1", "us-gov-west-1")
) -> tuple[int, int]:
    """Compare every catalog URI with the SDK's own resolver: (compared, mismatches)."""
    from sagemaker.core import image_uris  # type: ignore[import-not-found]  # build-time only

    from . import reader as catalogs

    loaded = catalogs.ImageCatalog(doc)
    compared = bad = 0
    for framework, versions in doc["frameworks"].items():
        for version, by_processor in versions.items():
            for processor in by_processor:
                for region in regions:
                    ours = loaded.image(framework, version, region, processor)
                    if ours is None:
                        continue
                    theirs = _sdk_uri(image_uris, framework, version, region, processor)
                    compared += 1
                    if theirs != ours.uri:
                        bad += 1
                        print(
                            f"MISMATCH {framework} {version} {processor} {region}:\n  ours {ours.uri}\n"
                            f"  sdk  {theirs}",
                            file=sys.stderr,
                        )
    return compared, bad


def _sdk_uri(image_uris: Any, framework: str, version: str, region: str, processor: str) -> str:
    instance = "ml.g5.xlarge" if processor == "gpu" else "ml.m5.xlarge"
    name = {"tgi": "huggingface-llm", "lmi": "djl-lmi", "tei": "huggingface-tei"}.get(framework, framework)
    if framework == "tei" and processor == "cpu":
        name = "huggingface-tei-cpu"
    if framework == "lmi" and version not in image_uris.config_for_framework("djl-lmi")["versions"]:
        name = "djl-deepspeed"
    kwargs: Json = {
        "region": region,
        "version": version,
        "instance_type": instance,
        "image_scope": "inference",
    }
    if framework == "huggingface":
        base = images.newest_pytorch_base(
            image_uris.config_for_framework("huggingface")["inference"]["versions"][version]
        )
        kwargs["base_framework_version"] = base
    versions = image_uris.config_for_framework(name)
    scope = images.inference_scope(versions) or {}
    version_config = scope["versions"][version]
    if framework == "huggingface":
        version_config = version_config[kwargs["base_framework_version"]]
    kwargs["py_version"] = images.newest_py(version_config.get("py_versions"))
    return str(image_uris.retrieve(name, **kwargs))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sagespec.catalog.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: the package's)")
    parser.add_argument("--verify", action="store_true", help="check every image URI against the SDK")
    args = parser.parse_args(argv)
    sdk = sdk_config_dir()
    image_doc = images_doc(sdk)
    instance_doc = instances_doc(sdk)
    atomic.write_text(args.out / "images.json", dumps(image_doc, depth=3))
    atomic.write_text(args.out / "instances.json", dumps(instance_doc, depth=2))
    counts = {fw: len(v) for fw, v in image_doc["frameworks"].items()}
    print(
        f"images.json: {counts} versions, {len(image_doc['regions'])} regions; "
        f"instances.json: {len(instance_doc['instances'])} types"
    )
    if args.verify:
        compared, mismatches = verify(image_doc)
        print(f"verify: {compared} URIs compared with the SDK's image_uris.retrieve, {mismatches} differ")
        return 1 if mismatches else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
