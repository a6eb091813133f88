"""Turn the SageMaker SDK's `image_uri_config/*.json` into sagespec's compact image catalog.

Pure functions over plain dicts, so tests run on small samples without the SDK installed.
The tag rules mirror `sagemaker.core.image_uris.retrieve` (tag = prefix-processor-py-container);
`generate --verify` checks every URI against the SDK itself.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from packaging.version import Version

# sagespec framework -> SDK config names; for a (version, processor) in several, the first wins.
SDK_CONFIGS: dict[str, tuple[str, ...]] = {
    "tgi": ("huggingface-llm",),
    "lmi": ("djl-lmi", "djl-deepspeed"),  # djl-deepspeed holds the LMI releases before 0.28
    "tei": ("huggingface-tei", "huggingface-tei-cpu"),  # one config per processor
    "huggingface": ("huggingface",),
    "pytorch": ("pytorch",),
}
PROCESSORS = ("cpu", "gpu")
# Partitions whose ECR hosts and ARNs we can write; the ISO and sovereign clouds are left out.
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")

Json = dict[str, Any]
# (version, processor, repository, tag, registries by region)
Variant = tuple[str, str, str, str, dict[str, str]]


def inference_scope(config: Json) -> Json | None:
    """The inference part of one SDK config (some files nest it under a key, some declare `scope`)."""
    if "scope" in config:
        return config if "inference" in config["scope"] else None
    scoped = config.get("inference")
    return scoped if isinstance(scoped, dict) else None


def newest_py(py_versions: list[str] | None) -> str | None:
    """The newest of "py3", "py36", "py310" ...: digits after the first are the minor version."""
    if not py_versions:
        return None

    def key(py: str) -> tuple[int, int]:
        digits = py.removeprefix("py")
        return int(digits[0]), int(digits[1:] or 0)

    return max(py_versions, key=key)


def newest_pytorch_base(version_config: Json) -> str | None:
    """Hugging Face configs hold one entry per base framework; we serve the newest PyTorch one."""
    bases = [key for key in version_config if re.fullmatch(r"pytorch\d+(\.\d+)*", key)]
    return max(bases, key=lambda key: Version(key.removeprefix("pytorch")), default=None)


def format_tag(*parts: str | None) -> str:
    return "-".join(part for part in parts if part)


def variants(sdk_name: str, config: Json) -> Iterator[Variant]:
    """Every (version, processor) image of one SDK config's inference scope."""
    scope = inference_scope(config)
    if scope is None:
        return
    for version, version_config in scope.get("versions", {}).items():
        tag_prefix = version_config.get("tag_prefix", version)
        if sdk_name == "huggingface":
            base = newest_pytorch_base(version_config)
            if base is None:
                continue  # TensorFlow-only release
            version_config = version_config[base]
            tag_prefix = f"{base.removeprefix('pytorch')}-transformers{version}"
        py = newest_py(version_config.get("py_versions"))
        if py is not None and isinstance(version_config.get(py), dict):
            version_config = version_config[py]
        processors = scope.get("processors") or version_config.get("processors") or [None]
        for processor in processors:
            yield from _variant(version, processor, py, tag_prefix, version_config)


def _variant(
    version: str, processor: str | None, py: str | None, tag_prefix: str, version_config: Json
) -> Iterator[Variant]:
    container = (version_config.get("container_version") or {}).get(processor) if processor else None
    in_tag = processor if version_config.get("processor_in_tag", True) else None
    tag = format_tag(tag_prefix, in_tag, py, container)
    if processor is None:
        # LMI configs name no processor: their tags carry the CUDA version instead.
        processor = "gpu" if re.search(r"-cu\d+", tag) else None
    if processor in PROCESSORS:
        yield version, processor, version_config["repository"], tag, dict(version_config["registries"])


def registry_id(registries: Mapping[str, str]) -> str:
    """A short stable id for a region -> account map (hundreds of versions share a few maps)."""
    text = json.dumps(sorted(registries.items()), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def build(configs: Mapping[str, Json], partition_of: Callable[[str], str | None]) -> Json:
    """The catalog body: frameworks -> version -> processor -> [repository, tag, registry id]."""
    frameworks: Json = {}
    registries: dict[str, dict[str, str]] = {}
    regions: dict[str, str] = {}
    for framework, sdk_names in SDK_CONFIGS.items():
        found: dict[str, dict[str, list[str]]] = {}
        for sdk_name in sdk_names:
            for version, processor, repository, tag, by_region in variants(sdk_name, configs[sdk_name]):
                if processor in found.get(version, {}):
                    continue  # an earlier config already owns this image
                kept = {r: a for r, a in by_region.items() if partition_of(r) in PARTITIONS}
                regions.update({r: str(partition_of(r)) for r in kept})
                rid = registry_id(kept)
                registries[rid] = dict(sorted(kept.items()))
                found.setdefault(version, {})[processor] = [repository, tag, rid]
        frameworks[framework] = {v: dict(sorted(found[v].items())) for v in sorted(found, key=Version)}
    return {
        "frameworks": frameworks,
        "registries": dict(sorted(registries.items())),
        "regions": dict(sorted(regions.items())),
    }
