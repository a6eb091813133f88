"""The one rule for protected environments, used by the review, `plan` and `apply`.

An environment is protected when its env.yaml says `policy.protected: true`, or when it is named
prod or production (protected even when the flag is missing or false). The review marks protected
environments and warns about replacements in them; `apply` asks for --yes for every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from .yamlload import load_file

PROTECTED_NAMES = ("prod", "production")


def is_protected(env: str, policy: Mapping[str, Any] | None) -> bool:
    """`policy` is the env's `spec.policy` mapping (None or {} when it has none)."""
    return env in PROTECTED_NAMES or (policy or {}).get("protected") is True


def env_policy(root: Path, env: str) -> Mapping[str, Any]:
    """envs/<env>/env.yaml's spec.policy ({} when absent). A file that does not load is an error:
    apply must not guess that an environment is unprotected."""
    display = f"envs/{env}/env.yaml"
    document, findings = load_file(root / display, display)
    if document is None:
        first = findings[0].format() if findings else display
        raise SagespecError(
            f"cannot read {display} to tell whether {env} is protected: {first}",
            "fix the file (`make validate`), then try again",
        )
    spec = document.data.get("spec")
    policy = spec.get("policy") if isinstance(spec, dict) else None
    return policy if isinstance(policy, dict) else {}


def env_is_protected(root: Path, env: str) -> bool:
    return is_protected(env, env_policy(root, env))
