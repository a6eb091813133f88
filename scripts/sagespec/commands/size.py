"""`sagespec size MODEL`: the GPU instance types that hold a model, their tensor-parallel degree and price.

Arguments only; the spec and region are sizing/target.py's, the output sizing/report.py's.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import SagespecError
from ..sizing import estimate, fit, report
from ..sizing.target import sizing_target
from .common import project_from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="metadata.name of a kind Model spec")
    parser.add_argument("--env", help="environment: its overlay, region and policy (default: the base spec)")
    parser.add_argument("--budget", type=float, metavar="USD", help="keep instances at most USD per hour")
    parser.add_argument("--batch", type=int, default=1, help="sequences per batch when the spec sets none")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    spec, region, allowed = sizing_target(project, args.model, args.env)
    if args.batch < 1:
        raise SagespecError("--batch must be at least 1")
    try:
        sized = estimate.estimate(project.root, spec, args.batch)
    except (estimate.SizeUnknown, ValueError) as exc:
        raise SagespecError(
            f"{args.model}: cannot size the model: {exc}",
            "add `size: {parameters: 7.2e9, dtype: bfloat16}` to the spec, or put config.json beside "
            "the weights (for Hub models: huggingface-cli download <id> config.json)",
        ) from exc
    found = fit.fits(sized.footprint, region, sized.attention_heads, allowed, args.budget)
    best = fit.cheapest(found)
    if args.format == "json":
        doc = {"fits": [report.as_row(f) for f in found], "cheapest": report.as_row(best)}
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        report.print_text(args.model, sized, found, best, region, allowed, args.budget)
    return 0 if found else 1
