"""`python -m sagespec.terraform.standin aws|awscc TLS_DIR`: what the mirror's executables run."""

from __future__ import annotations

import sys
from pathlib import Path

from .server import serve

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("aws", "awscc"):
        print("usage: python -m sagespec.terraform.standin aws|awscc TLS_DIR", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(serve(sys.argv[1], Path(sys.argv[2])))
