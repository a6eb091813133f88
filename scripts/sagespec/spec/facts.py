"""Facts about a Model spec that validation, rendering and the day-2 commands all need.

Each is decided here once, so the rule that checks a spec, the renderer that turns it into
Terraform variables and the command that packages it cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .project import Resolution, Resolved

# Frameworks whose containers download weights from the Hugging Face Hub at start-up when no
# model data is given (TGI, LMI, TEI and the Hugging Face inference toolkit read HF_MODEL_ID).
HUB_FRAMEWORKS = ("tgi", "lmi", "tei", "huggingface")


def needs_artifact(spec: dict[str, Any]) -> bool:
    """Local weights or a code folder: sagespec builds (and locks) the model artifact."""
    return "local" in spec["weights"] or bool(spec.get("code"))


def local_inputs(root: Path, spec: dict[str, Any]) -> tuple[Path | None, Path | None]:
    """The weights and code folders a model packages, as paths under the repository root."""
    local = spec["weights"].get("local")
    weights = root / local["path"] if local else None
    code = root / spec["code"] if spec.get("code") else None
    return weights, code


def artifact_compressed(spec: dict[str, Any]) -> bool:
    """Whether the built artifact is one model.tar.gz (the default) or uncompressed files."""
    local = spec["weights"].get("local")
    return bool(local.get("compressed", True)) if local else True


def pool_of(resolution: Resolution, model: Resolved) -> Resolved | None:
    """The pool endpoint an inference component runs on (None for every other deployment)."""
    deployment = model.spec.get("deployment", {})
    if deployment.get("type") != "inference-component":
        return None
    return resolution.endpoints.get(str(deployment.get("endpoint")))


def instance_type_of(resolution: Resolution, model: Resolved) -> str | None:
    """The instance a model runs on: its own, its pool's, or none (serverless)."""
    deployment = model.spec.get("deployment", {})
    if deployment.get("type") in ("realtime", "async"):
        return str(deployment.get("instance_type"))
    pool = pool_of(resolution, model)
    return str(pool.spec.get("instance_type")) if pool is not None else None


def async_prefix(bucket: str, endpoint_name: str, part: str) -> str:
    """s3://<bucket>/async/<endpoint>/<part>/: callers upload requests under input/, SageMaker
    writes results under output/ and errors under failure/."""
    return f"s3://{bucket}/async/{endpoint_name}/{part}/"


def async_input_beside(output_s3_uri: str) -> str:
    """The input/ prefix next to a rendered async output/ prefix."""
    return output_s3_uri.rstrip("/").rsplit("/", 1)[0] + "/input/"
