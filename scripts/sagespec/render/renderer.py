"""Render one environment into the Terraform root module's variables (docs/rendered-format.md).

A pure function of the resolved environment, the lock file and (for a model the lock does not
name) the repository's local model files. Python decides every default, so the HCL has none of its
own; the output is deterministic (sorted keys, 2-space indent, final newline) and holds no secret
(secrets travel as ARNs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import tags
from ..artifacts import lockfile
from ..spec.project import Resolution
from .context import RenderContext
from .endpoints import render_component, render_dedicated, render_pool
from .models import render_adapter, render_model
from .types import Adapter, ArtifactBucket, Aws, Endpoint, InferenceComponent, Model, Rendered


def render_env(root: Path, resolution: Resolution, lock: dict[str, lockfile.LockEntry]) -> Rendered:
    ctx = RenderContext(root, resolution, lock)
    endpoints: dict[str, Endpoint] = {
        name: render_pool(ctx, pool) for name, pool in sorted(resolution.endpoints.items())
    }
    models: dict[str, Model] = {}
    components: dict[str, InferenceComponent] = {}
    adapters: dict[str, Adapter] = {}
    for name, model in sorted(resolution.models.items()):
        kind = model.spec["deployment"]["type"]
        if kind == "adapter":
            adapters[name] = render_adapter(ctx, model)
            continue
        models[name] = render_model(ctx, model)
        if kind == "inference-component":
            components[name] = render_component(ctx, model)
        else:
            endpoints[name] = render_dedicated(ctx, model, models[name]["name"])
    vpc_access = ctx.env_spec.get("vpc") is not None and any(m["vpc"] for m in models.values())
    return Rendered(
        environment=ctx.env,
        aws=Aws(region=ctx.region, account_id=str(ctx.env_spec["aws"]["account_id"])),
        default_tags=tags.default_tags(ctx.env, ctx.env_spec.get("tags", {})),
        kms_key_arn=ctx.kms,
        artifact_bucket=ArtifactBucket(
            name=ctx.bucket, create=bool(ctx.env_spec["artifacts"].get("create", True))
        ),
        # last: every model and endpoint above has added what it touches
        execution_role=ctx.role.render(ctx.kms, vpc_access),
        models=models,
        endpoints=endpoints,
        inference_components=components,
        inference_component_adapters=adapters,
    )


def to_text(rendered: Mapping[str, Any]) -> str:
    return json.dumps(rendered, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
