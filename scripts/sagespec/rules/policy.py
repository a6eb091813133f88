"""The environment's policy: allowed instance types, KMS and data capture requirements."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from ..spec.project import Resolved
from .context import EnvContext

_GLOB = re.compile(r"[a-z0-9.*?\[\]-]{1,64}")  # instance-type patterns are shown; anything else is not


def check_environment(ctx: EnvContext) -> None:
    if ctx.policy.get("require_kms") and not ctx.env_spec.get("kms_key_arn"):
        ctx.reporter.error(
            ctx.resolution.environment,
            ("spec", "policy", "require_kms"),
            "E603",
            "the policy requires KMS but spec.kms_key_arn is not set",
            "set kms_key_arn to the customer managed key for endpoints and artifacts",
        )


def check_instance(ctx: EnvContext, doc: Resolved, field: tuple[str, ...], instance_type: str) -> None:
    allowed = ctx.policy.get("allowed_instance_types")
    if allowed is None or any(fnmatchcase(instance_type, pattern) for pattern in allowed):
        return
    ctx.reporter.error(
        doc,
        ("spec", *field),
        "E601",
        "this instance type is not allowed by the environment policy",
        f"allowed: {', '.join(a for a in allowed if _GLOB.fullmatch(str(a))) or 'see the policy'} "
        "(policy.allowed_instance_types in envs/<env>/env.yaml)",
    )


def check_model(ctx: EnvContext, model: Resolved) -> None:
    deployment = model.spec["deployment"]
    if deployment["type"] in ("realtime", "async"):
        check_instance(ctx, model, ("deployment", "instance_type"), deployment["instance_type"])
    if not ctx.policy.get("require_data_capture"):
        return
    capture = deployment.get("data_capture")
    if deployment["type"] in ("realtime", "async"):
        if not capture or capture["sampling_percent"] == 0:
            ctx.reporter.error(
                model,
                ("spec", "deployment"),
                "E604",
                "the environment policy requires data capture",
                "add deployment.data_capture",
            )
    else:
        ctx.reporter.error(
            model,
            ("spec", "deployment", "type"),
            "E604",
            f"the environment policy requires data capture, which {deployment['type']} "
            "deployments do not support",
            "use a realtime or async deployment in this environment",
        )
