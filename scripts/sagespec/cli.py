"""Command line: parse arguments and dispatch to sagespec.commands.<name>.run(args) -> exit code.

Each command module exposes `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`.
Modules are imported only when their command runs, so `sagespec validate` never pays for boto3
or locust start-up.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import SagespecError

# command name -> module under sagespec.commands
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "render": "render",
    "schema": "schema",
    "review": "review",
    "plan": "plan",
    "apply": "apply",
    "lock": "lock",
    "package": "package",
    "promote": "promote",
    "smoke": "smoke",
    "status": "status",
    "loadtest": "loadtest",
    "cleanup": "cleanup",
    "verify": "verify",
    "drift": "drift",
    "prices": "prices",
    "size": "size",
    "place": "place",
    "serve": "serve",
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise SagespecError(message, f"run `{self.prog} --help`")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sagespec", description="Serve models on Amazon SageMaker from YAML specs.")
    parser.add_argument("--version", action="version", version=f"sagespec {__version__}")
    parser.add_argument(
        "--root", help="repository root (default: nearest folder above with specs/ and envs/)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module_name in COMMANDS.items():
        module = _command_module(module_name)
        if module is None:
            continue
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
    return parser


def _command_module(module_name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f".commands.{module_name}", __package__)
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.commands.{module_name}":
            return None  # command not built yet
        raise


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        module = _command_module(COMMANDS[args.command])
        return int(module.run(args))
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
