"""Cost rules, on a rendered environment: the policy's hourly ceiling (E602, W402 for what has no
price) and each model's own budget (E605)."""

from __future__ import annotations

from ..cost import model as cost
from ..render.types import Rendered
from .context import EnvContext


def check(ctx: EnvContext, rendered: Rendered) -> None:
    costs = cost.env_cost(rendered)
    ceiling = ctx.policy.get("max_hourly_cost_usd")
    if ceiling is not None:
        for unpriced in costs.unpriced:
            _warn_unpriced(ctx, unpriced, costs.region)
        if costs.hourly_max > ceiling:
            ctx.reporter.error(
                ctx.resolution.environment,
                ("spec", "policy", "max_hourly_cost_usd"),
                "E602",
                f"this environment may cost ${costs.hourly_max:,.2f}/hour at autoscaling maximum "
                f"(${costs.hourly:,.2f}/hour now), above policy.max_hourly_cost_usd",
                "lower instance counts or sizes, or raise the ceiling in env.yaml",
            )
    by_key = {e.key: e for e in costs.endpoints}
    shares = {k: usd for e in costs.endpoints for k, usd in e.shares}  # inference components' chargeback
    for name, model in ctx.resolution.models.items():
        budget = model.spec.get("budget")
        component = model.spec["deployment"]["type"] == "inference-component"
        endpoint = None if component else by_key.get(name)  # a pool may share a model's name
        spent = shares.get(name) if component else (endpoint.hourly_max if endpoint else None)
        if budget and spent is not None and spent > budget["max_hourly_usd"]:
            ctx.reporter.error(
                model,
                ("spec", "budget", "max_hourly_usd"),
                "E605",
                f"this model may cost ${spent:,.2f}/hour, above its budget (budget.max_hourly_usd)",
                "choose a smaller instance or fewer instances",
            )


def _warn_unpriced(ctx: EnvContext, endpoint: cost.EndpointCost, region: str) -> None:
    model = ctx.resolution.models.get(endpoint.key)
    if model is not None:
        path: tuple[str, ...] = ("spec", "deployment", "instance_type" if endpoint.instance_type else "type")
        doc = model
    else:
        doc, path = ctx.resolution.endpoints[endpoint.key], ("spec", "instance_type")
    what = endpoint.instance_type or "serverless provisioned concurrency"
    ctx.reporter.warning(
        doc,
        path,
        "W402",
        f"no sourced price for {what} in {region}: the cost ceiling cannot count it",
        "add the price to the catalog (make prices)",
    )
