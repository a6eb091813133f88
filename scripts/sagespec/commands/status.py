"""sagespec status --env E: every endpoint and inference component of ENV as SageMaker sees it."""

from __future__ import annotations

import argparse

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_env(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    parser.add_argument("--check", action="store_true", help="exit 1 unless everything is InService")


def run(args: argparse.Namespace) -> int:
    from ..ops.status import main  # boto3, rich and friends load only when the command runs

    return main(args)
