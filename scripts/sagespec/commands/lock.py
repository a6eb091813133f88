"""sagespec lock MODEL...: record each model's artifact digest in the lock file, offline."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", metavar="MODEL", nargs="+", help="metadata.name of a kind Model spec")


def run(args: argparse.Namespace) -> int:
    from ..ops.lock import main  # rich and the tarball code load only when the command runs

    return main(args)
