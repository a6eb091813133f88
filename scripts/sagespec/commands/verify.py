"""sagespec verify --env E: after an apply, wait until every rendered resource landed, then smoke test."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_env(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds to wait for each resource (default: 900 s to provision plus the spec's startup "
        "timeouts and rollout waits)",
    )
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between status checks (default 15)")
    parser.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        help="`terraform output -json` of the env: exact applied names "
        "(models with secrets are renamed at plan time)",
    )
    parser.add_argument("--no-smoke", action="store_true", help="skip the smoke tests")
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the result as Markdown (for a PR comment)"
    )


def run(args: argparse.Namespace) -> int:
    from ..ops.verify import main  # boto3 and rich load only when the command runs

    return main(args)
