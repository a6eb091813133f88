"""`sagespec loadtest`: what the command does (commands/loadtest.py only parses its arguments)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

from rich.table import Table

from .. import atomic
from ..aws import aws_errors
from ..errors import SagespecError
from . import cliargs, invoke, waiting
from .console import out
from .deployed_env import model_spec, target_of
from .smoke import smoke_settings

ROWS = (
    ("requests", "requests"),
    ("failures", "failures"),
    ("requests/s", "requests_per_s"),
    ("p50 ms", "p50_ms"),
    ("p90 ms", "p90_ms"),
    ("p99 ms", "p99_ms"),
    ("avg ms", "avg_ms"),
    ("max ms", "max_ms"),
)


def _job(args: argparse.Namespace) -> dict[str, Any]:
    if args.users < 1 or args.duration <= 0:
        raise SagespecError("--users must be >= 1 and --duration > 0")
    ctx, aws = cliargs.context(args)
    target = target_of(ctx, args.model)
    if target.endpoint_type == "async":
        raise SagespecError(
            f"{args.model} is an async endpoint", "load test async endpoints through their queue"
        )
    smoke = smoke_settings(model_spec(ctx.root, ctx.env, args.model), args.payload)
    content_type = str(smoke.get("content_type", invoke.JSON))
    with aws_errors(f"loadtest {args.model}"):
        status, reason = waiting.endpoint_status(aws.client("sagemaker"), target.endpoint)()
    if status != waiting.READY:
        raise SagespecError(
            f"endpoint {target.endpoint} is {status}", reason or "wait for InService (sagespec smoke)"
        )
    return {
        "region": ctx.region,
        "profile": args.profile,
        "endpoint": target.endpoint,
        "component": target.component,
        "content_type": content_type,
        "accept": str(smoke.get("accept", "*/*")),
        "body": invoke.encode(smoke["payload"], content_type).decode("utf-8"),
        "users": args.users,
        "spawn_rate": args.spawn_rate or args.users,
        "duration": args.duration,
    }


def run_locust(job: dict[str, Any]) -> dict[str, Any]:
    """Run the load in a child process (locust's gevent patching stays out of this one)."""
    done = subprocess.run(
        [sys.executable, "-m", "sagespec.ops.loadrun"],
        input=json.dumps(job),
        text=True,
        stdout=subprocess.PIPE,
        timeout=job["duration"] + 300,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SagespecError(
            f"the load generator failed (exit {done.returncode})", "its error is printed above"
        )
    return dict(json.loads(lines[-1]))


def table(result: dict[str, Any], title: str) -> Table:
    grid = Table(title=title, title_justify="left")
    for label, _ in ROWS:
        grid.add_column(label, justify="right")
    grid.add_row(*("-" if result[key] is None else str(result[key]) for _, key in ROWS))
    return grid


def main(args: argparse.Namespace) -> int:
    job = _job(args)
    result = {
        "model": args.model,
        "env": args.env,
        "endpoint": job["endpoint"],
        "component": job["component"],
        **run_locust(job),
    }
    console = out()
    if args.format == "json":
        console.print_json(json.dumps(result))
    else:
        console.print(table(result, f"{args.model} ({args.env}): {args.users} users, {args.duration:g} s"))
        for error in result["errors"]:
            console.print(f"  {error['count']} x {error['error']}")
    if args.json_out:
        atomic.write_text(args.json_out, json.dumps(result, indent=2, sort_keys=True) + "\n")
    failed = result["requests"] == 0 or result["failure_ratio"] > args.max_failure_ratio
    return 1 if failed else 0
