"""What every part of one environment's render reads: the resolved documents, the lock, the
environment's settings, and the execution role's grants that each part adds to."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import tags
from ..artifacts import lockfile
from ..spec.project import EnvView, Resolved
from .role import RoleGrants


@dataclass
class RenderContext(EnvView):
    # root: a model missing from the lock is digested from its local files there
    lock: dict[str, lockfile.LockEntry]
    role: RoleGrants = field(init=False)

    def __post_init__(self) -> None:
        self.role = RoleGrants(self.env, self.region)

    @property
    def bucket(self) -> str:
        return str(self.env_spec["artifacts"]["bucket"])

    @property
    def kms(self) -> str | None:
        kms = self.env_spec.get("kms_key_arn")
        return str(kms) if kms else None

    def tags(self, doc: Resolved) -> dict[str, str]:
        return tags.spec_tags(doc.source.data.get("metadata", {}), doc.name)
