"""sagespec drift --env E: what runs in AWS against the render and Terraform's state."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_env(parser)
    parser.add_argument(
        "--plan-json",
        type=Path,
        metavar="FILE",
        help="`terraform show -json` of a refresh-only plan: adds Terraform's view of the drift",
    )
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the result as Markdown (for an issue)"
    )


def run(args: argparse.Namespace) -> int:
    from ..ops.drift import main  # boto3 and rich load only when the command runs

    return main(args)
