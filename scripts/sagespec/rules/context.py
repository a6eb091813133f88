"""What the per-environment rules share: the resolved documents, the region, the policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog import reader as catalogs
from ..spec import facts
from ..spec.project import Resolution, Resolved
from .report import Reporter


@dataclass
class EnvContext:
    root: Path
    resolution: Resolution
    reporter: Reporter

    @property
    def env(self) -> str:
        return self.resolution.env

    @property
    def env_spec(self) -> dict[str, Any]:
        return self.resolution.environment.spec

    @property
    def region(self) -> str:
        return str(self.env_spec.get("aws", {}).get("region", ""))

    @property
    def policy(self) -> dict[str, Any]:
        return dict(self.env_spec.get("policy", {}))

    def pool_of(self, model: Resolved) -> Resolved | None:
        return facts.pool_of(self.resolution, model)

    def instance_type_of(self, model: Resolved) -> str | None:
        return facts.instance_type_of(self.resolution, model)


def processor_of(instance_type: str | None) -> str | None:
    """gpu | neuron | cpu for an instance type; None when the catalog does not know it."""
    if instance_type is None:
        return "cpu"  # serverless: CPU only
    info = catalogs.instance(instance_type)
    if info is None or info.accelerator is None:
        return None
    return {"nvidia": "gpu", "neuron": "neuron"}.get(info.accelerator, "cpu")


def has_instance_storage(instance_type: str) -> bool:
    """NVMe instance storage (g5, g6, p4d, *d families): SageMaker refuses a volume size and a
    volume KMS key there; the disks are fixed and encrypted by the instance's hardware.
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html (KmsKeyId)
    """
    info = catalogs.instance(instance_type)
    return bool(info is not None and info.local_storage_gb)
