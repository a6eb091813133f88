"""`sagespec status`: what the command does (commands/status.py only parses its arguments)."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from ..aws import aws_errors
from . import cliargs, statusinfo
from .console import out
from .statusinfo import Row

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


def table(rows: list[Row], title: str) -> Table:
    grid = Table(title=title, title_justify="left")
    for column in COLUMNS:
        grid.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        grid.add_row(*(getattr(row, c) or "" for c in COLUMNS))
    return grid


def main(args: argparse.Namespace) -> int:
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
