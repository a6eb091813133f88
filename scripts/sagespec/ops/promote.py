"""`sagespec promote MODEL... --from dev --to prod`: copy locked artifacts to the next env's bucket.

What to copy comes from the lock and the target's committed render (the key Terraform will
point the model at); no weights are needed, so CI runs it before each environment's plan.
One set of credentials does both ends (the target's deploy role in CI): it reads the source
bucket and writes the target's (README: "Promoting artifacts between accounts").
"""

from __future__ import annotations

import argparse

from botocore.exceptions import ClientError
from rich.console import Console

from ..artifacts import lockfile, s3keys
from ..artifacts.lockfile import LockEntry
from ..aws import Aws, aws_errors, error_code
from ..errors import SagespecError
from ..layout import find_root
from . import promote_copy as promote
from .console import out
from .deployed_env import DeployedEnv, load_env
from .promote_copy import Side
from .s3io import Bucket, uri


def _side(ctx: DeployedEnv, profile: str | None) -> Side:
    bucket = Bucket(ctx.bucket, ctx.rendered["aws"].get("account_id"), ctx.rendered.get("kms_key_arn"))
    return Side(ctx.env, bucket, Aws(ctx.region, profile).client("s3"))


def _locked(ctx: DeployedEnv, model: str, entry: LockEntry | None) -> str | None:
    """The artifact key the target's render names for `model`, checked against the lock."""
    rendered = ctx.rendered["models"].get(model)
    if rendered is None:
        raise SagespecError(
            f"model {model!r} is not in envs/{ctx.env}/rendered.tfvars.json",
            f"is it enabled in {ctx.env}? run `make render ENV={ctx.env}`",
        )
    data = rendered.get("model_data")
    if entry is None or data is None or not data["s3_uri"].startswith(uri(ctx.bucket, f"models/{model}/")):
        return None  # hub, S3 or mirrored weights: nothing sagespec packaged
    key = s3keys.artifact_key(model, entry.sha256, entry.compressed)
    if data["s3_uri"] != uri(ctx.bucket, key):
        raise SagespecError(
            f"envs/{ctx.env}/rendered.tfvars.json names {data['s3_uri']}, but {lockfile.LOCK_FILE} "
            f"names {key}",
            f"run `make render ENV={ctx.env}` and commit it, so the render and the lock agree",
        )
    return key


def _targets(args: argparse.Namespace, ctx: DeployedEnv, lock: dict[str, LockEntry]) -> dict[str, str]:
    names = sorted(ctx.rendered["models"]) if args.all else list(dict.fromkeys(args.models))
    keys = {m: _locked(ctx, m, lock.get(m)) for m in names}
    if not args.all:
        for model, key in keys.items():
            if key is None:
                raise SagespecError(
                    f"model {model!r} has no packaged artifact in {lockfile.LOCK_FILE}",
                    "promote copies what `sagespec lock`/`package` recorded (weights.local and code)",
                )
    return {m: k for m, k in keys.items() if k is not None}


def _promote(
    source: Side, dest: Side, model: str, key: str, lock: LockEntry, dry: bool, console: Console
) -> None:
    keys = [key] if lock.compressed else promote.prefix_keys(source, key, lock.sha256)
    done = [promote.copy_object(source, dest, k, dry) for k in keys]
    copied = sum(1 for c in done if c.copied)
    target = uri(dest.bucket.name, key)
    if copied == 0:
        console.print(f"{model}: already in {dest.env} with the same SHA-256 checksum: {target}")
    elif dry:
        console.print(f"{model}: would copy {copied} of {len(done)} object(s) to {target}")
    else:
        console.print(
            f"{model}: copied {copied} of {len(done)} object(s) {source.env} -> {dest.env}, "
            f"SHA-256 checked by S3: {target}"
        )


def main(args: argparse.Namespace) -> int:
    if args.source == args.target:
        raise SagespecError(f"--from and --to are both {args.source!r}", "promote copies to another env")
    if not args.all and not args.models:
        raise SagespecError(
            "name the models to promote, or pass --all", "sagespec promote MODEL --from dev --to prod"
        )
    root = find_root(getattr(args, "root", None))
    src_ctx, dest_ctx = load_env(root, args.source), load_env(root, args.target)
    lock = lockfile.read_lock(root)
    targets = _targets(args, dest_ctx, lock)
    console = out()
    if not targets:
        console.print(f"nothing to promote: no model in {args.target} serves a packaged artifact")
        return 0
    action = f"promote {args.source} -> {args.target}"
    try:
        with aws_errors(action):
            source, dest = _side(src_ctx, args.profile), _side(dest_ctx, args.profile)
            for model, key in targets.items():
                _promote(source, dest, model, key, lock[model], args.dry_run, console)
    except ClientError as exc:  # not a credentials problem: say which call S3 refused, and why
        raise SagespecError(
            f"{action}: S3 {exc.operation_name} failed: {error_code(exc)}: "
            f"{exc.response.get('Error', {}).get('Message', '')}",
            f"check that the role reads {src_ctx.bucket} and writes {dest_ctx.bucket} "
            "(README: promoting artifacts between accounts)",
        ) from exc
    return 0
