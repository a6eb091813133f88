"""sagespec smoke MODEL --env E: wait for InService, invoke with smoke_test.payload, check the answer."""

from __future__ import annotations

import argparse

from ..ops import cliargs

DEFAULT_TIMEOUT_S = 600
HELP = (
    "wait until MODEL's endpoint in ENV is InService, invoke it with the spec's smoke_test, check the answer"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_model(parser)
    cliargs.add_env(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds to wait for InService and for an async answer "
        f"(default: smoke_test.timeout_s, else {DEFAULT_TIMEOUT_S})",
    )
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between status checks (default 15)")
    parser.add_argument("--payload", help="JSON to send instead of smoke_test.payload")
    parser.add_argument(
        "--max-chars", type=int, default=1000, help="response characters to print (default 1000)"
    )


def run(args: argparse.Namespace) -> int:
    from ..ops.smoke_cli import main  # boto3, rich and friends load only when the command runs

    return main(args)
