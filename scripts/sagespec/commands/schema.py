"""sagespec schema: print the JSON Schema of a document kind, or refresh the copies in specs/schema/."""

from __future__ import annotations

import argparse
import json

from .. import atomic
from ..layout import find_root
from ..rules.structure import SCHEMA_FILES, schema


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=[k.lower() for k in SCHEMA_FILES], default="model")
    parser.add_argument(
        "--write", action="store_true", help="write every schema to specs/schema/ for editors"
    )


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, sort_keys=True) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.write:
        root = find_root(args.root)
        for kind, stem in SCHEMA_FILES.items():
            atomic.write_text(root / "specs" / "schema" / f"{stem}.schema.json", schema_text(kind))
            print(f"specs/schema/{stem}.schema.json: written")
        return 0
    kind = next(k for k in SCHEMA_FILES if k.lower() == args.kind)
    print(schema_text(kind), end="")
    return 0
