"""Pools and inference components that scale to zero.

SageMaker scales an endpoint to zero instances only when it hosts inference components and its
variant has ManagedInstanceScaling with MinInstanceCount 0; copies come back from zero through a
step scaling policy on the NoCapacityInvocationFailures alarm (the render adds it).
https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
"""

from __future__ import annotations

from ..spec.project import Resolved
from .context import EnvContext


def _min_copies(model: Resolved) -> int | None:
    scaling = model.spec["deployment"].get("autoscaling")
    return int(scaling["min_copies"]) if scaling else None


def check(ctx: EnvContext) -> None:
    members: dict[str, list[Resolved]] = {name: [] for name in ctx.resolution.endpoints}
    for model in ctx.resolution.models.values():
        deployment = model.spec["deployment"]
        if deployment["type"] == "inference-component" and deployment.get("endpoint") in members:
            members[deployment["endpoint"]].append(model)
    for name, models in sorted(members.items()):
        _check_pool(ctx, ctx.resolution.endpoints[name], models)


def _check_pool(ctx: EnvContext, pool: Resolved, models: list[Resolved]) -> None:
    scaling = pool.spec.get("managed_scaling") or {}
    pool_to_zero = scaling.get("min_instances") == 0
    if pool_to_zero and not models:
        ctx.reporter.error(
            pool,
            ("spec", "managed_scaling", "min_instances"),
            "E410",
            f"pool {pool.name} scales to 0 instances but hosts no inference component here",
            "SageMaker scales an endpoint to zero only while it hosts inference components",
        )
    stuck = sorted(m.name for m in models if _min_copies(m) != 0)
    if pool_to_zero and stuck:
        ctx.reporter.warning(
            pool,
            ("spec", "managed_scaling", "min_instances"),
            "W410",
            f"pool {pool.name} can scale to 0 instances, but {', '.join(stuck)} never "
            f"scale{'s' if len(stuck) == 1 else ''} to 0 copies",
            "set autoscaling.min_copies: 0 on them, or the pool keeps instances for their copies",
        )
    for model in models:
        if _min_copies(model) == 0 and not pool_to_zero:
            ctx.reporter.warning(
                model,
                ("spec", "deployment", "autoscaling", "min_copies"),
                "W410",
                f"{model.name} scales to 0 copies, but pool {pool.name} keeps its instances running",
                f"set managed_scaling: {{min_instances: 0, max_instances: ...}} on {pool.name} "
                "to stop paying when idle",
            )
