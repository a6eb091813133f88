"""No literal secrets anywhere in a spec: secrets come by Secrets Manager ARN only.

The value is never echoed back: a finding names the kind of secret and where it is.
"""

from __future__ import annotations

import re
from typing import Any

from ..project import Source
from ..yamlload import Path_
from .report import Reporter

# Token formats with a recognisable prefix (as published by each issuer); cheap and precise.
_TOKEN_PATTERNS = [
    ("a Hugging Face token", r"hf_[A-Za-z0-9]{30,}"),
    ("an AWS access key id", r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}"),
    ("a GitHub token", r"(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    ("a GitLab token", r"glpat-[A-Za-z0-9_-]{20,}"),
    ("an OpenAI-style API key", r"sk-(?:proj-)?[A-Za-z0-9_-]{20,}"),
    ("a Slack token", r"xox[abposr]-[A-Za-z0-9-]{10,}"),
    ("a Google API key", r"AIza[0-9A-Za-z_-]{35}"),
    ("a private key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    ("a password in a URL", r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"),
]
# Every pattern above contains one of these literals: a plain substring test rules a file out
# far faster than the combined regex can.
_MARKERS = (
    "hf_",
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "sk-",
    "xox",
    "AIza",
    "PRIVATE KEY",
    "@",
)
_TOKENS = re.compile("|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern) in enumerate(_TOKEN_PATTERNS)))
# Environment variable names that announce a secret (HF_TOKEN, DB_PASSWORD), not MAX_TOTAL_TOKENS.
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|"
    r"CREDENTIALS?)$",
    re.IGNORECASE,
)
_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:")


def token_kind(value: str) -> str | None:
    """What kind of secret `value` looks like ("a Hugging Face token"), or None."""
    match = _TOKENS.search(value)
    return None if match is None else _TOKEN_PATTERNS[int(str(match.lastgroup)[1:])][0]


def is_secret_variable(name: str, value: object) -> bool:
    """An environment variable named like a secret (HF_TOKEN) holding anything but a secret ARN."""
    return bool(_SECRET_NAME.search(name)) and not _ARN.match(str(value))


def check(reporter: Reporter, source: Source) -> None:
    for path, variables in _environment_maps(source.data):
        for key, value in variables.items():
            if (
                isinstance(value, (str, int))
                and str(value)
                and is_secret_variable(key, value)
                and token_kind(str(value)) is None
            ):
                reporter.error(
                    source,
                    (*path, key),
                    "E501",
                    f"environment variable {key} holds a literal secret value",
                    f"store it in Secrets Manager and use secret_environment: {{{key}: <secret ARN>}}",
                )
    text = source.doc.text
    # One regex pass over the file finds nothing in almost every spec; walk values only when it
    # might (escape sequences in quoted strings can hide a token from the raw text).
    if not text or "\\" in text or (any(m in text for m in _MARKERS) and _TOKENS.search(text)):
        _walk(reporter, source, source.data, ())


def _environment_maps(data: dict[str, Any]) -> list[tuple[Path_, dict[str, Any]]]:
    """spec.environment and every environments.<env>.environment."""
    found: list[tuple[Path_, dict[str, Any]]] = []
    spec = data.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("environment"), dict):
        found.append((("spec", "environment"), spec["environment"]))
    envs = data.get("environments")
    for env, overlay in envs.items() if isinstance(envs, dict) else ():
        if isinstance(overlay, dict) and isinstance(overlay.get("environment"), dict):
            found.append((("environments", env, "environment"), overlay["environment"]))
    return found


def _walk(reporter: Reporter, source: Source, value: Any, path: Path_) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _walk(reporter, source, child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _walk(reporter, source, child, (*path, index))
    elif isinstance(value, str):
        kind = token_kind(value)
        if kind is not None:
            reporter.error(
                source,
                path,
                "E501",
                f"this value looks like {kind}; secrets must not be in specs",
                "store it in Secrets Manager, reference the ARN (token_secret or secret_environment), "
                "and rotate the leaked secret",
            )
