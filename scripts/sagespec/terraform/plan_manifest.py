"""The saved plan's manifest.json: digests, versions, checks and what was applied when."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from .. import atomic
from ..errors import SagespecError
from .fingerprint import Inputs
from .plan_folder import PlanFiles

MANIFEST_VERSION = 2  # 2: changes_sha256 and applied_plan_sha256


@dataclass(frozen=True)
class Manifest:
    env: str
    created_at: str
    terraform: str  # binary path and version, e.g. "/usr/bin/terraform 1.9.8"
    plan_sha256: str  # of the bytes of plan.tfplan, our private copy
    changes_sha256: str  # of what the plan does (plan_store.changes_sha256): what CI reviews
    inputs: Inputs
    has_changes: bool
    counts: Mapping[str, int]
    checks_passed: bool
    checks_failed: tuple[str, ...] = ()  # "CKV_AWS_98 aws_sagemaker_endpoint_configuration.x"
    applied_at: str | None = None
    applied_plan_sha256: str | None = None  # the bytes Terraform applied (checked equal to plan_sha256)
    version: int = MANIFEST_VERSION


def write_manifest(files: PlanFiles, manifest: Manifest) -> None:
    atomic.write_text(files.manifest, json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n")


def read_manifest(files: PlanFiles) -> Manifest | None:
    """The saved plan's manifest, None when there is none. A damaged one is an error, not None."""
    if not files.manifest.is_file():
        return None
    try:
        data = json.loads(files.manifest.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError(f"manifest version {data.get('version')!r}, expected {MANIFEST_VERSION}")
        data["inputs"] = Inputs(**data["inputs"])
        data["checks_failed"] = tuple(data.get("checks_failed", ()))
        return Manifest(**data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SagespecError(
            f"{files.manifest} is damaged: {exc}", "delete the folder and run `sagespec plan` again"
        ) from exc
