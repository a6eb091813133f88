"""`sagespec cleanup`: what the command does (commands/cleanup.py only parses its arguments)."""

from __future__ import annotations

import argparse
from typing import Any

from ..aws import aws_errors
from . import cleanup, cliargs
from .cleanup import Resource
from .console import out


def _listed(sm: Any, env: str) -> list[Resource]:
    found = cleanup.list_component_resources(sm, env)
    for kind in ("endpoint", "endpoint-config", "model"):
        found += cleanup.list_resources(sm, kind, env)
    return found


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    console = out()
    tags = f"managed-by=sagespec, sagespec-env={ctx.env}"
    with aws_errors(f"cleanup {ctx.env}"):
        sm = aws.client("sagemaker")
        found = cleanup.plan(sm, ctx.env, ctx.rendered, _listed(sm, ctx.env))
        for resource, why in found.kept:
            console.print(f"kept (in use)  {resource.kind:<20} {resource.name}  ({why})")
        if not found.orphans:
            console.print(f"{ctx.env}: no orphans (resources tagged {tags} are all rendered or in use)")
            return 0
        console.print(
            f"{ctx.env}: {len(found.orphans)} orphan(s) tagged {tags}, "
            f"not in envs/{ctx.env}/rendered.tfvars.json:"
        )
        for resource in found.orphans:
            console.print(f"  {resource.kind:<20} {resource.name}")
        if not args.yes:
            console.print(
                f"dry run: nothing deleted; delete with `sagespec cleanup --env {ctx.env} --yes` "
                f"(make cleanup ENV={ctx.env} CONFIRM=1)"
            )
            return 0

        def report(resource: Resource, error: str | None) -> None:
            state = f"FAILED: {error}" if error else "deleted"
            console.print(f"{state:<8} {resource.kind:<20} {resource.name}")

        failures = cleanup.execute(sm, found.orphans, report)
    return 1 if failures else 0
