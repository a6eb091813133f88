"""sagespec status --env E: every endpoint and inference component of ENV as SageMaker sees it."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from ..aws import aws_errors
from ..ops import cliargs, statusinfo
from ..ops.console import out
from ..ops.statusinfo import Row

HELP = "table of ENV's endpoints and inference components: status, instances, copies, autoscaling, failures"
COLUMNS = (
    "kind",
    "key",
    "name",
    "status",
    "instance_type",
    "instances",
    "copies",
    "autoscaling",
    "updated",
    "reason",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_env(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    parser.add_argument("--check", action="store_true", help="exit 1 unless everything is InService")


def table(rows: list[Row], title: str) -> Table:
    grid = Table(title=title, title_justify="left")
    for column in COLUMNS:
        grid.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        grid.add_row(*(getattr(row, c) or "" for c in COLUMNS))
    return grid


def run(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    with aws_errors(f"status {ctx.env}"):
        rows = statusinfo.collect(ctx, aws.client("sagemaker"), aws.client("application-autoscaling"))
    console = out()
    if args.format == "json":
        console.print_json(json.dumps([r.as_dict() for r in rows]))
    elif rows:
        console.print(table(rows, f"{ctx.env} ({ctx.region})"))
    else:
        console.print(f"{ctx.env}: no endpoints rendered")
    return 1 if args.check and any(r.status != "InService" for r in rows) else 0
