"""sagespec review [--base REF] [--format markdown|json] [--out FILE]: the pull-request report."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .. import atomic
from ..errors import SagespecError
from ..layout import find_root
from ..review import build_review, json_out, report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base",
        metavar="REF",
        help="git ref to compare with (default: origin/main when it exists, else main)",
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default, fits a GitHub comment) or json",
    )
    parser.add_argument(
        "--plan",
        metavar="ENV=PATH",
        action="append",
        default=[],
        help="use the JSON of a real plan (`terraform show -json plan.tfplan`) for ENV instead of the "
        "offline plan; repeatable",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        help="write FILE instead of stdout; a Markdown report too long for one comment goes on "
        "in FILE.2, FILE.3, ...",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="with AWS credentials: instances and copies serving now beside what the change resets them to",
    )


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    review = build_review(root, args.base, _plans(args.plan), live=args.live)
    if args.format == "json":
        _emit(args.out, [json_out.to_json(review)])
    else:
        _emit(args.out, report.render(review))
    print(
        f"sagespec review: {review.base_label} → {review.head}: "
        f"{'valid' if review.ok else 'INVALID'}, {review.errors} error(s), {review.warnings} warning(s)"
        + (f"; written to {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return review.exit_code


def _plans(values: list[str]) -> dict[str, Path]:
    plans: dict[str, Path] = {}
    for value in values:
        env, sep, path = value.partition("=")
        if not sep or not env or not path:
            raise SagespecError(
                f"--plan {value}: expected ENV=PATH", "for example --plan prod=plan-prod.json"
            )
        plans[env] = Path(path)
    return plans


def _emit(out: Path | None, parts: list[str]) -> None:
    if out is None:
        sys.stdout.write("\n".join(parts))
        return
    atomic.write_text(out, parts[0])
    for number, text in enumerate(parts[1:], 2):
        atomic.write_text(out.with_name(f"{out.name}.{number}"), text)
    _remove_stale_parts(out, len(parts))


def _remove_stale_parts(out: Path, count: int) -> None:
    """FILE.N left by an earlier, longer report would be posted as if current."""
    pattern = re.compile(re.escape(out.name) + r"\.(\d+)")
    for path in out.parent.glob(f"{out.name}.*"):
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) > count:
            path.unlink()
