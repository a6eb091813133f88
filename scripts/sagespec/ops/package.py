"""`sagespec package`: what the command does (commands/package.py only parses its arguments)."""

from __future__ import annotations

import argparse
from typing import Any

from rich import filesize
from rich.console import Console

from ..artifacts import lockfile
from ..aws import Aws, aws_errors
from ..errors import SagespecError
from . import cliargs, hfmirror, packaging
from .console import err, out
from .deployed_env import DeployedEnv, model_spec
from .lock import big_weights_hint
from .packaging import Sources, Uploaded
from .s3io import Bucket


def _report(console: Console, what: str, outcome: Uploaded, dry_run: bool) -> None:
    size = f"{filesize.decimal(outcome.size)}, " if outcome.size else ""
    console.print(f"  {what}: {size}digest {outcome.digest}")
    verb = "would upload" if dry_run else "uploaded"
    if outcome.uploaded == 0:
        console.print(f"  already in S3: {outcome.uri}")
    elif outcome.skipped:
        console.print(
            f"  {verb} {outcome.uploaded} object(s), {outcome.skipped} already there: {outcome.uri}"
        )
    else:
        console.print(f"  {verb} {outcome.uri}")


def _package(
    args: argparse.Namespace, ctx: DeployedEnv, s3: Any | None, sources: Sources, console: Console
) -> None:
    build = packaging.package_compressed if sources.compressed else packaging.package_uncompressed
    outcome = build(ctx.root, args.model, sources, _bucket(ctx), s3, err(), args.dry_run)
    _report(console, "model.tar.gz" if sources.compressed else "uncompressed prefix", outcome, args.dry_run)
    if s3 is None:
        console.print("  not compared with S3: a dry run makes no AWS call")
    big_weights_hint(sources, console)
    if outcome.lock_changed:
        state = "would be updated" if args.dry_run else "updated"
        console.print(f"  {lockfile.LOCK_FILE} {state}: commit it with the spec, then render")
    else:
        console.print(f"  {lockfile.LOCK_FILE} unchanged")


def _mirror(
    args: argparse.Namespace, ctx: DeployedEnv, aws: Aws, hf: dict[str, Any], console: Console
) -> None:
    offline = args.dry_run  # a dry run makes no AWS call: HF_TOKEN or the hub cache only
    token = hfmirror.hf_token(hf, None if offline else aws.client("secretsmanager"))
    s3 = None if offline else aws.client("s3")
    outcome = hfmirror.mirror(args.model, hf, _bucket(ctx), s3, token, err(), args.dry_run)
    _report(console, "hugging face snapshot", outcome, args.dry_run)
    if s3 is None:
        console.print("  not compared with S3: a dry run makes no AWS call")


def _bucket(ctx: DeployedEnv) -> Bucket:
    return Bucket(ctx.bucket, ctx.rendered["aws"].get("account_id"), ctx.rendered.get("kms_key_arn"))


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    spec = model_spec(ctx.root, ctx.env, args.model)
    sources = packaging.local_sources(ctx.root, spec)
    hf = (spec.get("weights") or {}).get("huggingface") or {}
    if sources is None and not hf.get("mirror"):
        raise SagespecError(
            f"model {args.model!r} has nothing to package",
            "package builds weights.local and code; weights.huggingface needs mirror: true",
        )
    console = out()
    console.print(f"{args.model} ({ctx.env}){' [dry run]' if args.dry_run else ''}")
    with aws_errors(f"package {args.model}"):
        if sources is not None:  # what render serves; a mirror would be unused beside a code tarball
            _package(args, ctx, None if args.dry_run else aws.client("s3"), sources, console)
        else:
            _mirror(args, ctx, aws, hf, console)
    return 0
