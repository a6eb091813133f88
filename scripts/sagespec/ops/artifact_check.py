"""Before Terraform plans: is every artifact the render names in S3? (HeadObject, or a listing)

Creating a SageMaker model whose artifact is missing fails only at apply time, deep in a
rollout; this check fails the plan instead, naming the model, the URI and the command that puts
the artifact there. It runs with the plan's own credentials. A role without s3:ListBucket gets
403, not 404, for a missing object, so AccessDenied on the env's own bucket fails the check too,
with that hint; on a bucket the env does not own (weights.s3) it only warns.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from ..artifacts import s3keys
from ..aws import Aws, aws_errors, error_code
from ..errors import SagespecError

MISSING = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchBucket"})
DENIED = frozenset({"403", "AccessDenied", "Forbidden"})


@dataclass(frozen=True)
class Artifact:
    model: str
    uri: str
    compressed: bool


@dataclass(frozen=True)
class Problem:
    artifact: Artifact
    missing: bool  # False: S3 refused to say (AccessDenied)
    own_bucket: bool


def named_artifacts(rendered: dict[str, Any]) -> list[Artifact]:
    """Every model artifact the rendered file points a SageMaker model at."""
    found = []
    for model, body in sorted((rendered.get("models") or {}).items()):
        data = (body or {}).get("model_data") or {}
        if data.get("s3_uri"):
            found.append(Artifact(model, str(data["s3_uri"]), bool(data.get("compressed", True))))
    return found


def _exists(s3: Any, artifact: Artifact, owner: str | None) -> bool:
    bucket, key = s3keys.split_s3_uri(artifact.uri)
    extra = {"ExpectedBucketOwner": owner} if owner else {}
    if artifact.compressed:
        try:
            s3.head_object(Bucket=bucket, Key=key, **extra)
        except ClientError as exc:
            if error_code(exc) in MISSING:
                return False
            raise
        return True
    prefix = key if key.endswith("/") else key + "/"
    try:
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1, **extra)
    except ClientError as exc:
        if error_code(exc) in MISSING:
            return False
        raise
    return bool(listed.get("KeyCount", 0))


def problems(s3: Any, rendered: dict[str, Any]) -> list[Problem]:
    own = str(rendered.get("artifact_bucket", {}).get("name", ""))
    account = rendered.get("aws", {}).get("account_id")
    found = []
    for artifact in named_artifacts(rendered):
        mine = s3keys.split_s3_uri(artifact.uri)[0] == own
        try:
            if not _exists(s3, artifact, account if mine else None):
                found.append(Problem(artifact, True, mine))
        except ClientError as exc:
            if error_code(exc) not in DENIED:
                raise
            found.append(Problem(artifact, False, mine))
    return found


def describe(problem: Problem, env: str) -> str:
    a = problem.artifact
    if problem.missing:
        what = f"{a.model}: {a.uri} is not in S3"
        if problem.own_bucket and "/hf/" in a.uri:  # a Hugging Face mirror: copied from the hub
            return f"{what}; mirror it with `make package MODEL={a.model} ENV={env}`"
        if problem.own_bucket:
            return (
                f"{what}; put it there with `make promote MODEL={a.model} FROM=<env> ENV={env}` "
                f"(or `make package MODEL={a.model} ENV={env}` where the weights are)"
            )
        return f"{what}; upload it, or fix weights.s3.uri in the spec"
    hint = (
        "the plan role needs s3:GetObject and s3:ListBucket on the artifact bucket "
        "(without ListBucket S3 answers 403 for a missing object too)"
    )
    return f"{a.model}: cannot check {a.uri} (AccessDenied): {hint}"


def check_before_plan(
    rendered_file: Path, env: str, on_missing: str = "error", profile: str | None = None
) -> None:
    """Print what is missing; raise (exit 2, before Terraform) when a missing artifact must fail the plan."""
    try:
        rendered = json.loads(rendered_file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SagespecError(f"{rendered_file}: cannot read: {exc}", f"run `make render ENV={env}`") from exc
    named = named_artifacts(rendered) if isinstance(rendered, dict) else []
    if not named:
        return
    region = str(rendered.get("aws", {}).get("region", "")) or None
    action = f"artifact check for {env}"
    try:
        with aws_errors(action):
            found = problems(Aws(region or "us-east-1", profile).client("s3"), rendered)
    except ClientError as exc:  # not credentials (aws_errors took those): say what S3 refused
        raise SagespecError(
            f"{action}: S3 {exc.operation_name} failed: {error_code(exc)}: "
            f"{exc.response.get('Error', {}).get('Message', '')}",
            "retry the plan; if it persists, check the artifact bucket and the plan role's S3 permissions",
        ) from exc
    failing = [p for p in found if p.own_bucket and (on_missing == "error" or not p.missing)]
    for problem in found:
        level = "error" if problem in failing else "warning"
        print(f"sagespec: {level}: {describe(problem, env)}", file=sys.stderr)
    if failing:
        raise SagespecError(
            f"{len(failing)} of {len(named)} artifact(s) that envs/{env}/rendered.tfvars.json names "
            "cannot be found: Terraform would create models that fail at deploy time",
            "put them in the bucket (see above), then plan again",
        )
    print(f"sagespec: {len(named) - len(found)} of {len(named)} artifact(s) found in S3", flush=True)
