"""Read-only access to the shipped catalogs: container images, instance types, prices.

The data lives in sagespec/catalog/*.json (generated, stamped with source and date). Each file
is parsed once, on first use, and looked up by key, so validating many specs stays fast.
"Unknown" is always None: a known type with unsourced facts has None fields, a type or image
the catalog does not know returns None.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CATALOG_DIR = Path(__file__).resolve().parent
FRAMEWORKS = ("tgi", "lmi", "tei", "huggingface", "pytorch")

Json = dict[str, Any]


@dataclass(frozen=True)
class Instance:
    type: str  # "ml.g5.12xlarge"
    vcpus: int | None
    memory_gib: float | None
    gpus: int | None  # NVIDIA GPUs or Neuron devices; 0 for CPU types
    gpu_memory_gib: float | None  # across all devices
    accelerator: str | None  # "nvidia" | "neuron" | "none"
    accelerator_name: str | None  # "A10G", "Inferentia2", ...
    source: str
    local_storage_gb: int | None = None  # NVMe instance store; 0 when none, None when unknown


@dataclass(frozen=True)
class Image:
    uri: str
    repository_arn: str  # partition-aware: arn:aws-cn:..., arn:aws-us-gov:...
    processor: str  # "gpu" | "cpu" | "neuron"


@dataclass(frozen=True)
class Price:
    usd_per_hour: float
    source: str  # URL, or "AWS Pricing API"
    as_of: str  # ISO date the figure was read


@dataclass(frozen=True)
class ServerlessPrice:
    usd_per_gb_second: float  # on-demand compute, per GB of memory per second
    usd_per_gb_second_provisioned: float | None  # provisioned concurrency
    source: str
    as_of: str


@functools.cache
def _load(name: str) -> Json:
    doc: Json = json.loads((CATALOG_DIR / name).read_text(encoding="utf-8"))
    return doc


# --- instances ---------------------------------------------------------------------------------


def instance(instance_type: str) -> Instance | None:
    return _instance(instance_type)


@functools.cache
def _instance(instance_type: str) -> Instance | None:
    doc = _load("instances.json")
    row = doc["instances"].get(instance_type)
    if row is not None:
        vcpus, memory, gpus, gpu_memory, accelerator, name, source_key, storage = row
        return Instance(
            instance_type,
            vcpus,
            memory,
            gpus,
            gpu_memory,
            accelerator,
            name,
            source=doc["_meta"]["sources"][source_key],
            local_storage_gb=storage,
        )
    if instance_type in _botocore_instance_types():
        # botocore is newer than the catalog: a real type whose facts nobody has sourced yet
        return Instance(
            instance_type,
            None,
            None,
            None,
            None,
            None,
            None,
            source="botocore ProductionVariantInstanceType only (not in instances.json)",
        )
    return None


def instance_types() -> list[str]:
    return list(_load("instances.json")["instances"])


@functools.cache
def _botocore_instance_types() -> frozenset[str]:
    from . import sagemaker_api  # only on a catalog miss: the model takes a moment to load

    return frozenset(sagemaker_api.instance_types())


# --- images ------------------------------------------------------------------------------------


class ImageCatalog:
    """Lookups over one images.json document (the shipped one, or a freshly generated one)."""

    def __init__(self, doc: Json) -> None:
        self._frameworks: dict[str, dict[str, dict[str, list[str]]]] = doc["frameworks"]
        self._registries: dict[str, dict[str, str]] = doc["registries"]
        self._regions: dict[str, str] = doc["regions"]
        self._suffix: dict[str, str] = doc["partitions"]

    def versions(self, framework: str) -> list[str]:
        return list(self._frameworks.get(framework, {}))  # stored oldest..newest

    def processors(self, framework: str, version: str) -> set[str]:
        return set(self._frameworks.get(framework, {}).get(version, {}))

    def regions(self, framework: str, version: str, processor: str) -> set[str]:
        entry = self._entry(framework, version, processor)
        return set(self._registries[entry[2]]) if entry else set()

    def image(self, framework: str, version: str, region: str, processor: str) -> Image | None:
        entry = self._entry(framework, version, processor)
        if entry is None:
            return None
        repository, tag, registry = entry
        account = self._registries[registry].get(region)
        if account is None:
            return None
        partition = self.partition(region)
        host = f"{account}.dkr.ecr.{region}.{self._suffix[partition]}"
        arn = f"arn:{partition}:ecr:{region}:{account}:repository/{repository}"
        return Image(uri=f"{host}/{repository}:{tag}", repository_arn=arn, processor=processor)

    def partition(self, region: str) -> str:
        return self._regions.get(region) or _partition_by_prefix(region)

    def _entry(self, framework: str, version: str, processor: str) -> list[str] | None:
        return self._frameworks.get(framework, {}).get(version, {}).get(processor)


def _partition_by_prefix(region: str) -> str:
    """For regions newer than the catalog: the naming rule every partition has followed so far."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def partition(region: str) -> str:
    """The AWS partition of a region (aws, aws-cn, aws-us-gov), for ARNs; botocore's map first."""
    return _images().partition(region)


@functools.cache
def _images() -> ImageCatalog:
    return ImageCatalog(_load("images.json"))


def framework_versions(framework: str) -> list[str]:
    """Versions sorted oldest..newest (packaging.version order); [] for a framework with no catalog."""
    return _images().versions(framework)


def image_processors(framework: str, version: str) -> set[str]:
    return _images().processors(framework, version)


def image_regions(framework: str, version: str, processor: str) -> set[str]:
    return _images().regions(framework, version, processor)


def image(framework: str, version: str, region: str, processor: str) -> Image | None:
    return _images().image(framework, version, region, processor)


# --- prices ------------------------------------------------------------------------------------


def instance_price(instance_type: str, region: str) -> Price | None:
    doc = _load("prices.json")
    figure = doc["instances"].get(region, {}).get(instance_type)
    if figure is None:
        return None
    usd, source_key = figure
    source = doc["sources"][source_key]
    return Price(usd_per_hour=usd, source=source["url"], as_of=source["as_of"])


def serverless_price(region: str) -> ServerlessPrice | None:
    doc = _load("prices.json")
    figure = doc["serverless"].get(region)
    if figure is None:
        return None
    on_demand, provisioned, source_key = figure
    source = doc["sources"][source_key]
    return ServerlessPrice(
        usd_per_gb_second=on_demand,
        usd_per_gb_second_provisioned=provisioned,
        source=source["url"],
        as_of=source["as_of"],
    )


def processor_of(instance_type: str | None) -> str | None:
    """gpu | neuron | cpu for an instance type; None when the catalog does not know it."""
    if instance_type is None:
        return "cpu"  # serverless: CPU only
    info = instance(instance_type)
    if info is None or info.accelerator is None:
        return None
    return {"nvidia": "gpu", "neuron": "neuron"}.get(info.accelerator, "cpu")


def image_processor(framework: str, version: str, instance_type: str | None) -> str | None:
    """The processor kind whose image runs on `instance_type`: the instance catalog's; for a type
    the catalog does not know, the version's only image kind; None when that leaves a choice (a
    cpu and a gpu image: guessing could put a CPU image on a GPU instance)."""
    processor = processor_of(instance_type)
    if processor is not None:
        return processor
    offered = image_processors(framework, version)
    return next(iter(offered)) if len(offered) == 1 else None


def has_instance_storage(instance_type: str) -> bool:
    """NVMe instance storage (g5, g6, p4d, *d families): SageMaker refuses a volume size and a
    volume KMS key there; the disks are fixed and encrypted by the instance's hardware.
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html (KmsKeyId)
    """
    info = instance(instance_type)
    return bool(info is not None and info.local_storage_gb)
