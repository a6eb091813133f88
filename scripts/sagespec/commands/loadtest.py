"""sagespec loadtest MODEL --env E --users N --duration S: drive an endpoint with locust, report latency."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_model(parser)
    cliargs.add_env(parser)
    parser.add_argument("--users", type=int, default=4, help="concurrent users (default 4)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (default 30)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: all at once)")
    parser.add_argument("--payload", help="JSON to send instead of smoke_test.payload")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="stdout format")
    parser.add_argument("--json-out", type=Path, help="also write the JSON result to this file")
    parser.add_argument(
        "--max-failure-ratio",
        type=float,
        default=0.0,
        help="exit 1 when more than this share of requests fail (default 0)",
    )


def run(args: argparse.Namespace) -> int:
    from ..ops.loadtest import main  # boto3, rich and friends load only when the command runs

    return main(args)
