"""No literal secrets anywhere in a document: secrets come by Secrets Manager ARN only.

Every document is scanned, whatever its kind (a mistyped kind must not hide a token): values,
keys (environment variable names, tag keys, payload keys) and the raw text, so that comments
are covered too. The value is never echoed back: a finding names the kind of secret and where.
"""

from __future__ import annotations

from typing import Any

from .. import secretscan
from ..catalog import reader as catalogs
from ..spec.keypath import KeyPath
from ..spec.project import Resolved, Source
from ..spec.protection import is_protected
from .context import EnvContext
from .report import Reporter

ROTATE = "rotate the leaked secret: it is in the git history now"
STORE = "store it in Secrets Manager and reference the ARN (token_secret or secret_environment); " + ROTATE
# Fields whose values must be secret ARNs, never the secret itself.
ARN_FIELDS = ("secret_environment", "token_secret")

# Re-exported for the review's spec diff.
token_kind = secretscan.token_kind
is_secret_variable = secretscan.is_secret_variable


def check(reporter: Reporter, source: Source) -> None:
    lines: set[int] = set()
    for path, variables in _environment_maps(source.data):
        for key, value in variables.items():
            if secretscan.is_secret_variable(str(key), value) and secretscan.token_kind(str(value)) is None:
                hint = f"store it in Secrets Manager, use secret_environment: {{<name>: <ARN>}}; {ROTATE}"
                message = "this environment variable is named like a secret and holds a literal value"
                lines.add(_report(reporter, source, (*path, key), message, hint))
    for path, value in _arn_fields(source.data):
        if not secretscan.is_secret_arn(value):
            message = "a secret field holds something other than a Secrets Manager ARN (a literal secret?)"
            hint = "give arn:aws:secretsmanager:<region>:<account>:secret:<name>; " + ROTATE
            lines.add(_report(reporter, source, path, message, hint))
    text = source.doc.text
    in_text = bool(text) and secretscan.might_hold_tokens(text)
    # Escape sequences in quoted strings can hide a token from the raw text: walk the values too.
    if not text or "\\" in text or in_text:
        lines |= _walk(reporter, source, source.data, ())
    if in_text:
        _scan_text(reporter, source, text, lines)


def _report(
    reporter: Reporter, source: Source, path: KeyPath, message: str, hint: str, key: bool = False
) -> int:
    reporter.error(source, path, "E501", message, hint, key=key)
    return reporter.findings[-1][1].line


def _environment_maps(data: dict[str, Any]) -> list[tuple[KeyPath, dict[str, Any]]]:
    """spec.environment and every environments.<env>.environment."""
    found: list[tuple[KeyPath, dict[str, Any]]] = []
    spec = data.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("environment"), dict):
        found.append((("spec", "environment"), spec["environment"]))
    envs = data.get("environments")
    for env, overlay in envs.items() if isinstance(envs, dict) else ():
        if isinstance(overlay, dict) and isinstance(overlay.get("environment"), dict):
            found.append((("environments", env, "environment"), overlay["environment"]))
    return found


def _arn_fields(data: dict[str, Any]) -> list[tuple[KeyPath, Any]]:
    """Every value of secret_environment and weights.huggingface.token_secret, in spec and overlays."""
    roots: list[tuple[KeyPath, Any]] = [(("spec",), data.get("spec"))]
    envs = data.get("environments")
    roots += [
        (("environments", env), overlay) for env, overlay in (envs.items() if isinstance(envs, dict) else ())
    ]
    found: list[tuple[KeyPath, Any]] = []
    for at, spec in roots:
        if not isinstance(spec, dict):
            continue
        variables = spec.get("secret_environment")
        if isinstance(variables, dict):
            found += [((*at, "secret_environment", k), v) for k, v in variables.items() if v is not None]
        weights = spec.get("weights")
        hub = weights.get("huggingface") if isinstance(weights, dict) else None
        if isinstance(hub, dict) and hub.get("token_secret") is not None:
            found.append(((*at, "weights", "huggingface", "token_secret"), hub["token_secret"]))
    return found


def _walk(reporter: Reporter, source: Source, value: Any, path: KeyPath) -> set[int]:
    lines: set[int] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            kind = secretscan.token_kind(str(key))
            if kind is not None:
                message = f"this key looks like {kind}; secrets must not be in specs"
                lines.add(_report(reporter, source, (*path, key), message, STORE, key=True))
            lines |= _walk(reporter, source, child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            lines |= _walk(reporter, source, child, (*path, index))
    elif isinstance(value, str):
        kind = secretscan.token_kind(value)
        if kind is not None:
            message = f"this value looks like {kind}; secrets must not be in specs"
            lines.add(_report(reporter, source, path, message, STORE))
    return lines


def _scan_text(reporter: Reporter, source: Source, text: str, reported: set[int]) -> None:
    """Tokens the parsed values do not hold: in comments, or in keys and values of other shapes."""
    for line, col, kind in secretscan.positions(text):
        if line in reported:
            continue
        message = f"this line holds {kind} (in a comment or a value); secrets must not be in specs"
        reporter.at(source, line, col, "E501", message, "remove it; " + ROTATE)


HF_TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACE_HUB_TOKEN")


def check_references(ctx: EnvContext, model: Resolved) -> None:
    """Secret ARNs belong to the environment's own account and region, unless its policy allows
    others (policy.allow_foreign_secrets); a protected env warns when a model reads an HF token
    at runtime (the token is then readable through DescribeModel and in the Terraform state)."""
    aws = ctx.env_spec.get("aws", {})
    account, region = str(aws.get("account_id", "")), ctx.region
    partition = catalogs.partition(region) if region else None
    for path, arn in _arn_fields({"spec": model.spec}):
        match = secretscan.SECRET_ARN.fullmatch(str(arn))
        if match is None or ctx.policy.get("allow_foreign_secrets") is True:
            continue  # a malformed ARN is E204 (schema) and E501 (check above)
        if (match["account"], match["region"], match["partition"]) != (account, region, partition):
            ctx.reporter.error(
                model,
                path,
                "E502",
                "the secret is not in the environment's own account and region (spec.aws of its env.yaml)",
                "create the secret in each environment's account and region and give its ARN in an "
                "environments.<env> overlay, or set policy.allow_foreign_secrets: true in env.yaml",
            )
    if _protected(ctx) and _reads_hf_token_at_runtime(model.spec):
        ctx.reporter.warning(
            model,
            ("spec", "weights", "huggingface", "token_secret")
            if model.spec["weights"].get("huggingface", {}).get("token_secret")
            else ("spec", "secret_environment"),
            "W501",
            # no env in the text: two protected envs give one finding that lists them (rules/once.py)
            f"{model.name} reads a Hugging Face token at runtime in a protected environment: "
            "the value is readable through DescribeModel and sits in the Terraform state",
            "set weights.huggingface.mirror: true so `sagespec package` copies the weights to S3 "
            "and no token reaches the endpoint",
        )


def _protected(ctx: EnvContext) -> bool:
    return is_protected(ctx.env, ctx.policy)


def _reads_hf_token_at_runtime(spec: dict[str, Any]) -> bool:
    hub = spec["weights"].get("huggingface") or {}
    runtime_token = bool(hub.get("token_secret")) and not hub.get("mirror")
    return runtime_token or any(k in HF_TOKEN_VARIABLES for k in spec.get("secret_environment", {}))
