"""`sagespec cleanup`: what the command does (commands/cleanup.py only parses its arguments)."""

from __future__ import annotations

import argparse
from typing import Any

from ..aws import aws_errors
from ..tags import describe_marks
from . import cleanup_find as cleanup
from . import cliargs
from .cleanup_find import Resource
from .committed import require_committed_render
from .console import out


def _listed(sm: Any, env: str | None) -> list[Resource]:
    """The env's resources (names holding -<env>), or with None every resource of the account."""
    found = cleanup.list_component_resources(sm, env)
    for kind in ("endpoint", "endpoint-config", "model"):
        found += cleanup.list_resources(sm, kind, env)
    return found


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    console = out()
    tags = describe_marks(ctx.env)
    if args.yes:  # deleting: only from the committed render, never a local edit
        require_committed_render(ctx.root, ctx.env)
    with aws_errors(f"cleanup {ctx.env}"):
        sm = aws.client("sagemaker")
        listed = _listed(sm, ctx.env)
        # Users outside the name filter count too: a config named otherwise may run our model.
        others = [r for r in _listed(sm, None) if r not in set(listed)]
        found = cleanup.plan(sm, ctx.env, ctx.rendered, listed, others)
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
