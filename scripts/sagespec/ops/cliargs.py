"""Arguments every day-2 command shares, their defaults, and the objects they lead to.

Imported by the chosen command's module when the CLI builds its parser, so it stays light: boto3
and the spec loader load only when the command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

SMOKE_TIMEOUT_S = 600  # seconds a smoke test waits when neither --timeout nor smoke_test.timeout_s says

if TYPE_CHECKING:
    from ..aws import Aws
    from .deployed_env import DeployedEnv


def add_env(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--env", required=required, help="environment (a folder under envs/)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default chain)")


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="metadata.name of a kind Model spec")


def context(args: argparse.Namespace) -> tuple[DeployedEnv, Aws]:
    from ..aws import Aws
    from ..layout import find_root
    from .deployed_env import load_env

    ctx = load_env(find_root(getattr(args, "root", None)), args.env)
    return ctx, Aws(ctx.region, args.profile)
