"""sagespec validate: every spec and environment, every rule, every problem at once."""

from __future__ import annotations

import argparse

from .. import pipeline
from ..findings import has_errors, problems
from .common import add_format, print_findings, project_from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", action="append", help="check only this environment (repeatable)")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    outcome = pipeline.check(project, args.env, render=True)
    print_findings(outcome.findings, outcome.files, args.format)
    failed = has_errors(outcome.findings) or (args.strict and bool(problems(outcome.findings)))
    return 1 if failed else 0
