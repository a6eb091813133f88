"""sagespec package MODEL --env E [--dry-run]: build, upload and lock a model's artifact."""

from __future__ import annotations

import argparse

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_model(parser)
    cliargs.add_env(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="build and hash only: no AWS call, no upload, the lock file left alone",
    )


def run(args: argparse.Namespace) -> int:
    from ..ops.package import main  # boto3, rich and friends load only when the command runs

    return main(args)
