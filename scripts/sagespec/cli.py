"""Command line: parse arguments and dispatch to sagespec.commands.<name>.run(args) -> exit code.

The commands and their one-line help are a static table, so `sagespec --help` imports no command;
only the chosen command's module is imported (it exposes `add_arguments(parser)` and
`run(args) -> int`), so `sagespec validate` never pays for boto3, Terraform or locust start-up.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__
from .errors import SagespecError

# command name (also its module under sagespec.commands) -> one line of help
COMMANDS: dict[str, str] = {
    "validate": "validate every spec and environment (exit 0 clean, 1 errors, 2 usage)",
    "render": "render envs/<env>/rendered.tfvars.json (--check: exit 1 when the committed file is stale)",
    "schema": "print the JSON Schema (draft 2020-12) of Model, Endpoint or Environment documents",
    "review": (
        "what the specs change against a git ref: specs, resources, findings, policy and cost (offline)"
    ),
    "plan": (
        "check the render, terraform init + plan for ENV to a saved plan, summary table, checkov on the plan"
    ),
    "apply": (
        "apply exactly the saved plan of ENV; refuse if anything changed since (protected envs need --yes)"
    ),
    "lock": ("compute MODEL's artifact digest from its local files and record it in the lock file (no AWS)"),
    "package": (
        "build MODEL's deterministic artifact, upload it to ENV's bucket and record it in the lock file"
    ),
    "promote": (
        "copy MODEL's locked artifact from one env's bucket to another's (server-side, SHA-256 verified)"
    ),
    "smoke": (
        "wait until MODEL's endpoint in ENV is InService, "
        "invoke it with the spec's smoke_test, check the answer"
    ),
    "status": (
        "table of ENV's endpoints and inference components: status, instances, copies, autoscaling, failures"
    ),
    "loadtest": (
        "load test MODEL's endpoint in ENV with locust (headless): requests, failures, p50/p90/p99, req/s"
    ),
    "cleanup": (
        "list (with --yes: delete) SageMaker resources tagged for ENV that its rendered file no longer has"
    ),
    "verify": (
        "wait until ENV's endpoints and inference components run the rendered config and counts; "
        "report rollbacks, failures and timeouts with the reason; then run each model's smoke test"
    ),
    "drift": (
        "report ENV's resources changed or deleted outside Terraform "
        "(autoscaled counts within their bounds are not drift); exit 1 when there is drift"
    ),
    "prices": "show the price catalog's coverage; --refresh reads every region from the AWS Pricing API",
    "size": (
        "list the GPU instance types that hold MODEL (memory model: weights + KV cache), cheapest first"
    ),
    "place": (
        "place the inference components of an env on pools (instance type x count) at least cost (MILP)"
    ),
    "serve": ("serve MODEL's code/inference.py on 127.0.0.1 (GET /ping, POST /invocations), without Docker"),
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise SagespecError(message, f"run `{self.prog} --help`")


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named in argv (the first word that is not an option or the value of --root)."""
    words = iter(argv)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """Every command with its help; the arguments only of the command argv names."""
    parser = _Parser(prog="sagespec", description="Serve models on Amazon SageMaker from YAML specs.")
    parser.add_argument("--version", action="version", version=f"sagespec {__version__}")
    parser.add_argument(
        "--root", help="repository root (default: nearest folder above with specs/ and envs/)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    chosen = _chosen(argv)
    for name, help_text in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            command_module(name).add_arguments(command)
    return parser


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f".commands.{name}", __package__)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(argv).parse_args(argv)
        return int(command_module(args.command).run(args))
    except SagespecError as exc:
        print(f"sagespec: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sagespec: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: say what to do, not a traceback
        print(f"sagespec: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  this is a bug in sagespec; rerun with SAGESPEC_DEBUG=1 for the traceback", file=sys.stderr)
        import os

        if os.environ.get("SAGESPEC_DEBUG"):
            raise
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
