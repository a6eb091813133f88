"""`sagespec serve MODEL`: run the model's code/inference.py locally as the SageMaker container would."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="metadata.name of a kind Model spec with `code`")
    parser.add_argument(
        "--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080, 0: any free port)"
    )
    parser.add_argument("--env", help="environment whose overlay applies (default: the base spec)")
    parser.add_argument(
        "--install-requirements",
        action="store_true",
        help="pip install code/requirements.txt into a scratch virtualenv first",
    )


def run(args: argparse.Namespace) -> int:
    from ..localserve.run import serve_forever  # the toolkit shim loads only when the command runs

    return serve_forever(args)
