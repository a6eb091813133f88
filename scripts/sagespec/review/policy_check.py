"""The environment policy of each head environment, rule by rule: pass, fail, off or not evaluated.

Validation already enforces the policy (E601-E605); this module turns its findings into a per
rule table and adds what passing looks like (the hourly cost against the ceiling, the instance
types in use) from the head's render.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..findings import Finding
from ..secretscan import redact
from .costing import EnvCostDiff

PASS, FAIL, OFF, UNKNOWN = "pass", "fail", "off", "not evaluated"
RULES = {  # policy key -> finding code of its violation
    "allowed_instance_types": "E601",
    "max_hourly_cost_usd": "E602",
    "require_kms": "E603",
    "require_data_capture": "E604",
}
BUDGET_CODE = "E605"


@dataclass(frozen=True)
class PolicyCheck:
    rule: str  # a policy key, or "model budgets"
    setting: str
    status: str  # pass | fail | off | not evaluated
    detail: str


def findings_for(env: str, findings: list[Finding]) -> list[Finding]:
    """The findings that apply to env: those naming it, and those not limited to some envs."""
    out = []
    for finding in findings:
        if not finding.envs or env in finding.envs:
            out.append(finding)
    return out


def check_env(
    env: str,
    policy: dict[str, Any],
    rendered: dict[str, Any] | None,
    costs: EnvCostDiff,
    findings: list[Finding],
) -> list[PolicyCheck]:
    mine = findings_for(env, findings)
    checks = []
    for rule, code in RULES.items():
        setting = policy.get(rule)
        failed = [f for f in mine if f.code == code]
        if setting in (None, False, []):
            checks.append(
                PolicyCheck(rule, _setting(setting), OFF, "not required" if setting is False else "not set")
            )
        elif failed:
            checks.append(PolicyCheck(rule, _setting(setting), FAIL, "; ".join(_where(f) for f in failed)))
        elif rendered is None:
            checks.append(PolicyCheck(rule, _setting(setting), UNKNOWN, f"{env} does not validate"))
        else:
            checks.append(PolicyCheck(rule, _setting(setting), PASS, _passed(rule, setting, rendered, costs)))
    budgets = [f for f in mine if f.code == BUDGET_CODE]
    if budgets:
        checks.append(
            PolicyCheck("model budgets", "spec.budget", FAIL, "; ".join(_where(f) for f in budgets))
        )
    return checks


def _setting(value: Any) -> str:
    """The policy value as the review shows it; anything that looks like a secret is redacted."""
    if isinstance(value, list):
        return ", ".join(redact(str(v)) for v in value) or "[]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"${value:,.2f}/h"
    return "none" if value is None else redact(str(value))


def _where(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}: {finding.message}"


def _passed(rule: str, setting: Any, rendered: dict[str, Any], costs: EnvCostDiff) -> str:
    endpoints = (rendered.get("endpoints") or {}).values()
    if rule == "allowed_instance_types":
        used = sorted({str(e["instance_type"]) for e in endpoints if e.get("instance_type")})
        outside = [t for t in used if not any(fnmatchcase(t, p) for p in setting)]
        return f"in use: {', '.join(used) or 'none'}" + (
            f"; not allowed: {', '.join(outside)}" if outside else ""
        )
    if rule == "max_hourly_cost_usd":
        head = costs.head
        if head is None:
            return "cost unknown"
        unpriced = f"; {head.unpriced} endpoint(s) without a price not counted" if head.unpriced else ""
        return f"${head.hourly_max:,.2f}/h at autoscaling maximum (${head.hourly:,.2f}/h now){unpriced}"
    if rule == "require_kms":
        return "kms_key_arn is set"
    captured = [e for e in endpoints if e.get("type") in ("realtime", "async")]
    return f"{len(captured)} real-time/async endpoint(s), all with data capture"
