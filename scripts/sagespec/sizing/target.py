"""Which spec `sagespec size` sizes, and where: the model as an environment sees it, that
environment's region and allowed instance types (without --env: the base spec in us-east-1)."""

from __future__ import annotations

from typing import Any

from ..errors import SagespecError
from ..layout import check_env_name
from ..spec.project import Project

DEFAULT_REGION = "us-east-1"  # without --env: the region the shipped price catalog covers


def sizing_target(
    project: Project, name: str, env: str | None
) -> tuple[dict[str, Any], str, list[str] | None]:
    sources = [s for s in project.by_kind("Model") if s.name == name]
    if not sources:
        known = ", ".join(sorted(s.name for s in project.by_kind("Model") if s.name)) or "none"
        raise SagespecError(f"no kind Model named {name!r}", f"known models: {known}")
    if env is None:
        return sources[0].merged_spec(""), DEFAULT_REGION, None
    check_env_name(env, project.env_names)
    env_spec = project.environment(env).spec
    allowed = env_spec.get("policy", {}).get("allowed_instance_types")
    region = str(env_spec.get("aws", {}).get("region", DEFAULT_REGION))
    return sources[0].merged_spec(env), region, list(allowed) if allowed else None
