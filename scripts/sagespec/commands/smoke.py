"""sagespec smoke MODEL --env E: wait for InService, invoke with smoke_test.payload, check the answer."""

from __future__ import annotations

import argparse

from ..ops import cliargs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cliargs.add_model(parser)
    cliargs.add_env(parser, required=False)
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds to wait for InService and for an async answer "
        f"(default: smoke_test.timeout_s, else {cliargs.SMOKE_TIMEOUT_S})",
    )
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between status checks (default 15)")
    parser.add_argument("--payload", help="JSON to send instead of smoke_test.payload")
    parser.add_argument(
        "--max-chars", type=int, default=1000, help="response characters to print (default 1000)"
    )
    parser.add_argument(
        "--local",
        action="store_true",
        help="test code/inference.py locally (sagespec serve) instead of the deployed endpoint",
    )
    parser.add_argument("--port", type=int, help="with --local: a `sagespec serve` already on this port")
    parser.add_argument(
        "--install-requirements",
        action="store_true",
        help="with --local: install code/requirements.txt first",
    )


def run(args: argparse.Namespace) -> int:
    if args.local:
        from ..localserve.run import smoke_local

        return smoke_local(args)
    if args.env is None:
        from ..errors import SagespecError

        raise SagespecError("--env is required (or --local to test the code on this machine)")
    from ..ops.smoke import main  # boto3, rich and friends load only when the command runs

    return main(args)
