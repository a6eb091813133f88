"""`sagespec apply --env E`: arguments only; the workflow (and what it refuses) is deploy/apply.py."""

from __future__ import annotations

import argparse
import re

from ..errors import SagespecError
from ..layout import find_root
from .common import add_terraform_target

SHA256 = re.compile(r"[0-9a-f]{64}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_terraform_target(parser)
    parser.add_argument(
        "--yes", action="store_true", help="confirm the apply of a protected environment (make: CONFIRM=1)"
    )
    parser.add_argument(
        "--reviewed-sha256",
        metavar="SHA256",
        help="refuse unless the saved plan's changes hash equals this one (CI: the hash in the review)",
    )


def run(args: argparse.Namespace) -> int:
    reviewed: str | None = args.reviewed_sha256
    if reviewed is not None and not SHA256.fullmatch(reviewed):
        raise SagespecError(
            "--reviewed-sha256 must be 64 lowercase hex digits",
            "pass the `Plan changes sha256` line of the reviewed plan",
        )
    from ..deploy.apply import apply  # Terraform loads only when the command runs

    return apply(find_root(args.root), args.env, args.terraform_dir, reviewed, args.yes)
