"""What a failed Terraform command means: the exception sagespec raises, a headline from
Terraform's own `Error:` lines, and the hint for the two failures people hit most (no registry,
no AWS credentials)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import SagespecError
from .process import Result

# Output of `terraform init` when providers cannot be downloaded (Terraform 1.0 to 1.15, OpenTofu).
REGISTRY_ERRORS = (
    "Failed to query available provider packages",
    "could not connect to registry",
    "Could not retrieve the list of available versions",
    "Failed to install provider",
    "Failed to download module",
)
CREDENTIAL_ERRORS = (
    "No valid credential sources found",
    "NoCredentialProviders",
    "InvalidClientTokenId",
    "ExpiredToken",
    "failed to refresh cached credentials",
)
CREDENTIAL_HINT = (
    "Terraform found no usable AWS credentials (the S3 state backend needs them even to plan): "
    "set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
)
REGISTRY_HINT = (
    "Terraform could not download providers or modules (no route to the registry?). On an offline "
    "machine, fill a mirror elsewhere with `terraform providers mirror DIR`, then point "
    'TF_CLI_CONFIG_FILE at a file holding `provider_installation { filesystem_mirror { path = "DIR" } }` '
    "(or set TF_PLUGIN_CACHE_DIR to a cache that already has them)"
)


class TerraformFailed(SagespecError):
    """A Terraform command exited non-zero. `result` holds its full output."""

    def __init__(self, message: str, hint: str | None, result: Result) -> None:
        super().__init__(message, hint)
        self.result = result


def mentions(result: Result, markers: Sequence[str]) -> bool:
    text = result.stdout + result.stderr
    return any(marker in text for marker in markers)


def credential_hint(result: Result) -> str | None:
    return CREDENTIAL_HINT if mentions(result, CREDENTIAL_ERRORS) else None


def headline(what: str, result: Result) -> str:
    """`what (exit N): ` and Terraform's first three error summaries, else its last line."""
    errors = result.errors
    detail = "; ".join(e.removeprefix("Error: ") for e in errors[:3]) or _last_line(result)
    return f"{what} (exit {result.returncode}): {detail}" if detail else f"{what} (exit {result.returncode})"


def _last_line(result: Result) -> str:
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else ""
