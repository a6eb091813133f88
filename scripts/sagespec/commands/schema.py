"""sagespec schema: print the bundled JSON Schema of a document kind, or write (or check) the editor
copies in specs/schema/, which are generated from scripts/sagespec/spec/schema/ and committed."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import atomic
from ..errors import SagespecError
from ..layout import find_root
from ..spec.schema.bundle import SCHEMA_FILES, bundle_text

_KINDS = [k.lower() for k in SCHEMA_FILES]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=_KINDS, help="the kind to print (default model)")
    parser.add_argument("--kind", dest="kind_option", choices=_KINDS, help="the same, as an option")
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--write", action="store_true", help="write every bundled schema to specs/schema/ for editors"
    )
    action.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a copy in specs/schema/ is stale"
    )


def editor_copies(root: Path) -> dict[Path, str]:
    """Each editor copy under `root` and the text it should have."""
    return {
        root / "specs" / "schema" / f"{stem}.schema.json": bundle_text(kind)
        for kind, stem in SCHEMA_FILES.items()
    }


def stale_copies(root: Path) -> list[Path]:
    """The editor copies that are missing or differ from a fresh bundle."""
    return [path for path, text in editor_copies(root).items() if _read(path) != text]


def run(args: argparse.Namespace) -> int:
    if args.write or args.check:
        if args.kind or args.kind_option:
            raise SagespecError("--write and --check cover every kind", "leave out the kind")
        root = find_root(args.root)
        return _check(root) if args.check else _write(root)
    if args.kind and args.kind_option and args.kind != args.kind_option:
        raise SagespecError(f"two kinds given ({args.kind}, --kind {args.kind_option})", "give one")
    kind = args.kind or args.kind_option or "model"
    print(bundle_text(next(k for k in SCHEMA_FILES if k.lower() == kind)), end="")
    return 0


def _write(root: Path) -> int:
    for path, text in editor_copies(root).items():
        atomic.write_text(path, text)  # each file whole: an editor never reads half a schema
        print(f"{_rel(path, root)}: written")
    return 0


def _check(root: Path) -> int:
    stale = stale_copies(root)
    for path in editor_copies(root):
        state = "stale; run `sagespec schema --write` (or `make schema`) and commit it"
        print(f"{_rel(path, root)}: {state if path in stale else 'up to date'}")
    return 1 if stale else 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # missing (or unreadable) counts as stale
        return None


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
