"""sagespec cleanup --env E [--yes]: list (--yes: delete) tagged SageMaker resources E no longer renders."""

from __future__ import annotations

import argparse

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_env(parser)
    parser.add_argument("--yes", action="store_true", help="delete them (default: only list)")


def run(args: argparse.Namespace) -> int:
    from ..ops.cleanup import main  # boto3, rich and friends load only when the command runs

    return main(args)
