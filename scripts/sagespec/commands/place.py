"""`sagespec place --env E`: the pools and the assignment of inference components that cost least.

Arguments only; the workflow is placement/workflow.py, the output placement/report.py.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..placement import report
from ..placement.workflow import blocking_findings, place
from .common import print_findings, project_from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True, help="environment (a folder under envs/)")
    parser.add_argument(
        "--max-copies", action="store_true", help="place every component at its autoscaling max_copies"
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="solver time limit (60 s)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    blocking, files = blocking_findings(project, args.env)
    if blocking:
        print_findings(blocking, files, "text")
        print("sagespec place: fix the spec errors first", file=sys.stderr)
        return 1
    placed = place(project, args.env, args.max_copies, args.time_limit)
    if placed.choice is None:
        print(f"{args.env} has no inference components to place")
        return 0
    if args.format == "json":
        doc = report.as_json(placed.resolution, placed.choice, placed.current_usd_per_hour)
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        report.print_text(args.env, placed.resolution, placed.choice, placed.current_usd_per_hour)
    return 0
