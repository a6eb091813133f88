"""Resource names, one rule everywhere: `<name>-<env>`, plus a content hash for immutable objects."""

from __future__ import annotations

import hashlib
import json
from typing import Any

MAX_NAME = 63  # every SageMaker name (EndpointName, ModelName, ...) is at most 63 characters
HASH_CHARS = 8


def resource_name(name: str, env: str) -> str:
    return f"{name}-{env}"


def hashed_name(name: str, env: str, content: Any) -> str:
    """Models and endpoint configs are immutable: a new name whenever their content changes."""
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"{resource_name(name, env)}-{digest[:HASH_CHARS]}"


def hashed_length(name: str, env: str) -> int:
    return len(resource_name(name, env)) + 1 + HASH_CHARS


def execution_role_name(env: str) -> str:
    return f"sagespec-{env}-execution"
