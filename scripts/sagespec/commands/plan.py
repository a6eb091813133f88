"""`sagespec plan --env E`: arguments only; the workflow is deploy/plan.py."""

from __future__ import annotations

import argparse

from ..layout import find_root
from .common import add_terraform_target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_terraform_target(parser)
    parser.add_argument(
        "--missing-artifacts",
        choices=("error", "warn"),
        default="error",
        help="an artifact the render names is not in the env's bucket: fail before Terraform (default), "
        "or warn (pull requests: the apply workflow promotes it before its own plan)",
    )


def run(args: argparse.Namespace) -> int:
    from ..deploy.plan import plan  # Terraform, checkov and the pipeline load only when the command runs

    return plan(find_root(args.root), args.env, args.terraform_dir, args.missing_artifacts)
