"""What the per-environment rules share: the resolved documents, the region, the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec import facts
from ..spec.project import EnvView, Resolved
from .report import Reporter


@dataclass
class EnvContext(EnvView):
    reporter: Reporter

    @property
    def policy(self) -> dict[str, Any]:
        return dict(self.env_spec.get("policy", {}))

    def pool_of(self, model: Resolved) -> Resolved | None:
        return facts.pool_of(self.resolution, model)

    def instance_type_of(self, model: Resolved) -> str | None:
        return facts.instance_type_of(self.resolution, model)
