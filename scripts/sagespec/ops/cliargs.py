"""Arguments every day-2 command shares, and the objects they lead to."""

from __future__ import annotations

import argparse

from ..aws import Aws
from ..root import find_root
from .envctx import EnvContext, load_env


def add_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True, help="environment (a folder under envs/)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default chain)")


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="metadata.name of a kind Model spec")


def context(args: argparse.Namespace) -> tuple[EnvContext, Aws]:
    ctx = load_env(find_root(getattr(args, "root", None)), args.env)
    return ctx, Aws(ctx.region, args.profile)
