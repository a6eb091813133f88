"""sagespec promote MODEL... --from E --to E: server-side copy of locked artifacts between env buckets."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", metavar="MODEL", nargs="*", help="metadata.name of a kind Model spec")
    parser.add_argument(
        "--all", action="store_true", help="every model of --to that serves a packaged artifact"
    )
    parser.add_argument("--from", dest="source", required=True, metavar="ENV", help="env whose bucket has it")
    parser.add_argument("--to", dest="target", required=True, metavar="ENV", help="env to copy it to")
    parser.add_argument("--profile", help="AWS profile that reads --from's bucket and writes --to's")
    parser.add_argument("--dry-run", action="store_true", help="compare both buckets, copy nothing")


def run(args: argparse.Namespace) -> int:
    from ..ops.promote import main  # boto3 loads only when the command runs

    return main(args)
