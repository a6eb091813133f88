"""The tag contract: the tags every resource sagespec creates carries, and what cleanup trusts.

The renderer writes them (Terraform's default_tags plus one tag naming the spec); `cleanup` only
ever deletes a resource that carries both `managed-by = sagespec` and `sagespec-env = <env>`.
Ours are applied last, so an env.yaml tag of the same key cannot unmark a resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MANAGED_BY = "managed-by"
MANAGED_BY_VALUE = "sagespec"
ENV = "sagespec-env"
SPEC = "sagespec-spec"
OWNER = "owner"


def default_tags(env: str, env_tags: Mapping[str, Any]) -> dict[str, str]:
    """Every resource of `env`: the env.yaml tags, then ours."""
    return {**{str(k): str(v) for k, v in env_tags.items()}, MANAGED_BY: MANAGED_BY_VALUE, ENV: env}


def spec_tags(metadata: Mapping[str, Any], name: str) -> dict[str, str]:
    """The resources of one spec: its metadata.tags, its owner, and the spec's name."""
    tags = {str(k): str(v) for k, v in (metadata.get("tags") or {}).items()}
    if metadata.get("owner"):
        tags[OWNER] = str(metadata["owner"])
    tags[SPEC] = name
    return tags


def marks_env(tags: Mapping[str, str], env: str) -> bool:
    """True when `tags` say sagespec created the resource for `env` (cleanup's condition)."""
    return tags.get(MANAGED_BY) == MANAGED_BY_VALUE and tags.get(ENV) == env


def describe_marks(env: str) -> str:
    return f"{MANAGED_BY}={MANAGED_BY_VALUE}, {ENV}={env}"
