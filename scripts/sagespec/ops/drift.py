"""`sagespec drift`: what the command does (commands/drift.py only parses its arguments)."""

from __future__ import annotations

import argparse

from .. import atomic
from ..aws import aws_errors
from . import cliargs, drift_plan
from . import drift_describe as drift
from .aws_report import reported
from .console import out
from .drift_describe import Drift

MARKER = "<!-- sagespec-drift {env} -->"


def markdown(env: str, region: str, found: list[Drift], sources: list[str]) -> str:
    title = f"### sagespec drift: {env} ({region})"
    head = f"{MARKER.format(env=env)}\n{title}\n\nCompared with: {', '.join(sources)}.\n\n"
    if not found:
        return head + "No drift: what runs matches the render and Terraform's state.\n"
    rows = "\n".join(
        f"| {d.kind} | `{d.name}` | `{d.key}` | {d.what} | {d.detail.replace('|', '/')} |" for d in found
    )
    return (
        head
        + f"{len(found)} difference(s). Re-apply the env to restore the render (`make plan ENV={env}` then "
        f"`make apply ENV={env}`), or change the spec to adopt what runs.\n\n"
        "| kind | resource | spec / address | what | detail |\n|---|---|---|---|---|\n" + rows + "\n"
    )


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    sources = ["the render (Describe calls)"]
    found: list[Drift] = []
    if args.plan_json:
        found += drift_plan.plan_drift(drift_plan.read_plan(args.plan_json), ctx.rendered)
        sources.append("Terraform's state (refresh-only plan)")
    with reported(f"drift {ctx.env}"), aws_errors(f"drift {ctx.env}"):
        found += drift.collect(aws.client("sagemaker"), aws.client("application-autoscaling"), ctx.rendered)
    console = out()
    for item in found:
        console.print(item.line(), markup=False)
    console.print(f"{ctx.env}: {len(found)} difference(s)" if found else f"{ctx.env}: no drift", markup=False)
    if args.report:
        atomic.write_text(args.report, markdown(ctx.env, ctx.region, found, sources))
    return 1 if found else 0
