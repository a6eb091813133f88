"""The day-2 command modules stay light: importing one to parse its arguments loads no AWS SDK."""

from __future__ import annotations

import subprocess
import sys

COMMANDS = ("package", "smoke", "status", "loadtest", "cleanup")


def test_command_modules_do_not_load_boto3_rich_or_locust() -> None:
    code = (
        "import sys\n"
        + "".join(f"import sagespec.commands.{name}\n" for name in COMMANDS)
        + "print(sorted(m for m in ('boto3', 'botocore', 'rich', 'locust', 'gevent', 'huggingface_hub')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_each_command_has_help_and_arguments() -> None:
    import argparse
    import importlib

    from sagespec.cli import COMMANDS as TABLE

    for name in COMMANDS:
        module = importlib.import_module(f"sagespec.commands.{name}")
        parser = argparse.ArgumentParser()
        module.add_arguments(parser)
        assert TABLE[name] and "--env" in parser.format_help()
