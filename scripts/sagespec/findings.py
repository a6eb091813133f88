"""Findings: one problem in one place, printed as `file:line:col: error[CODE]: message`.

A finding never quotes a spec value: CI posts findings where everyone with read access sees
them. Rules say what was wrong with `describe` here and `suggest.did_you_mean`, and every
Finding scrubs its message, hint and path of anything that looks like a secret, whoever built it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import secretscan

Severity = Literal["error", "warning", "info"]  # info: said, never a failure (not even --strict)

# Every code sagespec can emit, with a one-line meaning. The README table is checked against this.
# PLAN_CODES come from `sagespec review` and `sagespec plan` only (they read a Terraform plan).
CODES: dict[str, str] = {
    # E1xx: reading files
    "E101": "YAML syntax error",
    "E102": "duplicate key in a mapping",
    "E103": "empty file or empty document",
    "E104": "binary or non-UTF-8 file",
    "E105": "file larger than the size limit",
    "E106": "document too complex (too many nodes, too deep, or an alias bomb)",
    "E107": "document is not a mapping, or a file holds more than one document",
    "E108": "unsupported YAML feature (custom tag, non-string key)",
    "E109": "spec or env file that cannot be read as one (suffix case, dangling link, FIFO)",
    # E2xx: structure (JSON Schema)
    "E201": "unknown key",
    "E202": "wrong type",
    "E203": "required key missing",
    "E204": "value not allowed (enum or pattern)",
    "E205": "value out of range",
    "E206": "structure error (one-of, dependent keys, counts)",
    # E3xx: identity and references
    "E301": "file name does not match metadata.name",
    "E302": "duplicate name within a kind",
    "E303": "environment named in a spec has no envs/<env>/env.yaml",
    "E304": "inference component's endpoint does not exist",
    "E305": "inference component's endpoint is not enabled in this environment",
    "E306": "rendered SageMaker name longer than 63 characters",
    "E307": "two specs render to the same SageMaker endpoint name",
    "E308": "name does not match SageMaker's pattern",
    "E309": "environment file is inconsistent (name, folder, backend)",
    # E4xx: SageMaker limits and cross-field rules
    "E401": "instance type unknown to SageMaker hosting",
    "E402": "serverless memory not a 1024 MB step in 1024..6144",
    "E403": "provisioned concurrency above max concurrency",
    "E404": "inference components need more accelerators than the pool instance has",
    "E405": "inference components need more vCPUs than the pool instance has",
    "E406": "inference components need more memory than the pool instance has",
    "E407": "GPU framework on an instance without GPUs (or the reverse)",
    "E408": "container framework version unknown to the image catalog",
    "E409": "image not available in the environment's region",
    "E410": "autoscaling minimum above maximum, or bounds outside capacity",
    "E411": "weights and deployment settings do not fit together",
    "E412": "tensor parallel degree or GPU count does not fit the instance",
    "E413": "value outside SageMaker's API range or pattern (tags and owner included)",
    "E414": "container token settings the serving container refuses (order, whole numbers)",
    "E415": "image kind (cpu or gpu) unknown: the instance catalog lacks the type and the framework has both",
    # E5xx: secrets
    "E501": "literal secret in a spec (secrets come by ARN only)",
    "E502": "secret ARN of another account or region than the environment's",
    # E6xx: environment policy
    "E601": "instance type not allowed by the environment policy",
    "E602": "environment hourly cost above the policy ceiling",
    "E603": "environment requires KMS but none is set",
    "E604": "environment requires data capture but the endpoint has none",
    "E605": "model's hourly cost above its own budget",
    # E7xx: artifacts
    "E701": "local weights have no lock entry and no files (run sagespec lock)",
    "E702": "artifact lock is stale: the files changed since sagespec lock",
    "E703": "local path missing or not a folder",
    # E43x: LoRA adapters
    "E430": "adapter's base model does not exist",
    "E431": "adapter's base is not enabled in this environment, or is not an inference component",
    "E432": "adapter's base container cannot load LoRA adapters (LMI with OPTION_ENABLE_LORA only)",
    "E433": "adapter artifact is not one content-addressed tar.gz in S3",
    "E704": "path outside the repository (absolute, '..' or a symlink that leaves it)",
    "E705": "wildcard in an S3 URI or image reference",
    "E706": "S3 URI outside the environment's artifact bucket and allowed buckets",
    # E8xx: what the plan does (review and plan only: validation cannot see a plan)
    "E801": "protected environment: the plan deletes and re-creates an endpoint or inference component "
    "(downtime) and the spec does not set rollout.allow_downtime",
    # Warnings
    "W401": "instance type missing from the instance catalog: capacity unchecked",
    "W402": "no sourced price for an instance type: cost unchecked",
    "W404": "environment has no backend.hcl",
    "W405": "at autoscaling maximum the pool cannot hold every copy",
    "W406": "local artifact has no lock entry: CI cannot render it without the files",
    "W407": "volume size ignored: the instance has fixed NVMe instance storage",
    "W408": "initial copies need more pool instances than the initial count: managed scaling adds them",
    "W409": "pool with no inference component: its instances bill while idle",
    "W410": "scale to zero only half set: the pool or its inference components cannot reach zero",
    "W420": "the instance's GPU memory cannot hold the model (weights + KV cache; sagespec size)",
    "W430": "adapter's base runs a custom image: adapter support unchecked",
    "W411": "YAML 1.1 changed an unquoted value (base 60, octal, yes/no, lost digits)",
    "W501": "model in a protected environment reads a Hugging Face token at runtime",
    # Information
    "I701": "local files absent here (a clone, CI): the artifact comes from its lock entry",
}


PLAN_CODES = frozenset({"E801"})


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    path: str = ""
    hint: str | None = None
    envs: tuple[str, ...] = ()  # the environments that produced it; empty: all that were checked

    def __post_init__(self) -> None:
        # the last line of defence: a message that quotes a token shows <redacted> instead
        for name in ("message", "hint", "path", "file"):
            text = getattr(self, name)
            if text:
                object.__setattr__(self, name, secretscan.redact(text))

    @property
    def text(self) -> str:
        """The message, naming its environments when not every checked one produced it."""
        return f"{self.message} (in {', '.join(self.envs)})" if self.envs else self.message

    def format(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        text = f"{self.file}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.text}{where}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def github_annotation(self) -> str:
        """A workflow command; file and message escaped so that neither can start another command."""
        level = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        msg = (
            self.text
            + (f" (at {self.path})" if self.path else "")
            + (f" (hint: {self.hint})" if self.hint else "")
        )
        props = f"file={_property(self.file)},line={self.line},col={self.col},title={_property(self.code)}"
        return f"::{level} {props}::{_data(msg)}"


# GitHub's escaping of workflow commands (actions/toolkit packages/core/src/command.ts,
# escapeData and escapeProperty): data escapes %, CR, LF; properties also ':' and ','.
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def describe(value: Any) -> str:
    """What a value is, without what it says: "a string of 12 characters", "a number"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"a string of {len(value)} character{'s' if len(value) != 1 else ''}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key{'s' if len(value) != 1 else ''}"
    return "a value"


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def problems(findings: Iterable[Finding]) -> list[Finding]:
    """Errors and warnings: what --strict fails on and summaries count (infos are neither)."""
    return [f for f in findings if f.severity != "info"]


def to_json(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    payload = {
        "findings": [asdict(f) for f in findings],
        "summary": {"errors": errors, "warnings": len(problems(findings)) - errors},
    }
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


def summary_line(findings: list[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(problems(findings)) - errors
    return f"{files} files checked: {errors} error(s), {warnings} warning(s)"
