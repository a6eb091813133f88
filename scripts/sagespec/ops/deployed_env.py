"""What a day-2 command needs to know about one environment: its rendered file and its specs.

AWS names, bucket and region come from `envs/<env>/rendered.tfvars.json` (what Terraform
applies); spec-only settings (weights paths, smoke test) from the environment-merged spec.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from ..layout import rendered_path, require_env
from ..render.types import Rendered
from ..spec.project import load_project


@dataclass(frozen=True)
class DeployedEnv:
    root: Path
    env: str
    rendered: Rendered

    @property
    def region(self) -> str:
        return str(self.rendered["aws"]["region"])

    @property
    def bucket(self) -> str:
        return str(self.rendered["artifact_bucket"]["name"])


@dataclass(frozen=True)
class Target:
    """Where a model answers: an endpoint, or an inference component on a pool endpoint."""

    model: str
    endpoint: str
    component: str | None
    endpoint_type: str  # realtime | serverless | async | pool


def load_env(root: Path, env: str) -> DeployedEnv:
    require_env(root, env)
    path = rendered_path(root, env)
    try:
        rendered = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise SagespecError(
            f"{path.relative_to(root)} does not exist", f"run `sagespec render --env {env}`"
        ) from exc
    except (OSError, ValueError) as exc:
        raise SagespecError(
            f"{path.relative_to(root)}: cannot read: {exc}", f"rerun `sagespec render --env {env}`"
        ) from exc
    for key in ("aws", "artifact_bucket", "models", "endpoints", "inference_components"):
        if not isinstance(rendered, dict) or key not in rendered:
            raise SagespecError(
                f"{path.relative_to(root)}: no {key!r}: not a rendered file of this version",
                f"rerun `sagespec render --env {env}`",
            )
    return DeployedEnv(root, env, rendered)


def model_spec(root: Path, env: str, name: str) -> dict[str, Any]:
    """The environment-merged `spec` of kind Model `name`."""
    require_env(root, env)
    project = load_project(root)
    resolution = project.resolve(env)
    if name in resolution.models:
        return resolution.models[name].spec
    if any(s.kind == "Model" and s.name == name for s in project.specs):
        raise SagespecError(f"model {name!r} is not enabled in environment {env!r}")
    known = ", ".join(sorted(resolution.models)) or "none"
    raise SagespecError(f"no kind Model named {name!r} under specs/", f"models in {env}: {known}")


def target_of(ctx: DeployedEnv, model: str) -> Target:
    components = ctx.rendered["inference_components"]
    endpoints = ctx.rendered["endpoints"]
    if model in components:
        ic = components[model]
        return Target(model, endpoints[ic["endpoint_key"]]["name"], ic["name"], "pool")
    adapter = (ctx.rendered.get("inference_component_adapters") or {}).get(model)
    if adapter is not None:  # invoked by its own component name, on its base's pool
        return Target(model, endpoints[adapter["endpoint_key"]]["name"], adapter["name"], "pool")
    for ep in endpoints.values():
        if ep.get("model_key") == model:
            return Target(model, ep["name"], None, ep["type"])
    raise SagespecError(
        f"model {model!r} has no endpoint in envs/{ctx.env}/rendered.tfvars.json",
        f"is it enabled in {ctx.env}? run `sagespec render --env {ctx.env}`",
    )
