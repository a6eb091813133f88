"""The environment policy of each head environment, rule by rule: pass, fail, off or not evaluated.

Validation already enforces the policy (E601-E605); this module turns its findings into a per
rule table and adds what passing looks like (the hourly cost against the ceiling, the instance
types in use) from the head's render. Per-model budgets get a row in every environment: each
model's cost against its budget, and "cannot check" where a price is missing. An inference
component is held to its chargeback share of the pool (at its initial copies).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..findings import Finding
from ..render.types import Rendered
from ..secretscan import redact
from ..spec.project import Project
from .costing import EndpointCostDiff, EnvCostDiff
from .money import usd

PASS, FAIL, OFF, UNKNOWN, CANNOT = "pass", "fail", "off", "not evaluated", "cannot check"
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
    rendered: Rendered | None,
    costs: EnvCostDiff,
    findings: list[Finding],
    budgets: dict[str, float] | None = None,
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
            unpriced = rule == "max_hourly_cost_usd" and costs.head is not None and costs.head.unpriced
            detail = _passed(rule, setting, rendered, costs)
            checks.append(PolicyCheck(rule, _setting(setting), CANNOT if unpriced else PASS, detail))
    checks.append(_budgets(env, budgets or {}, rendered, costs, [f for f in mine if f.code == BUDGET_CODE]))
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


def _passed(rule: str, setting: Any, rendered: Rendered, costs: EnvCostDiff) -> str:
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


def model_budgets(project: Project | None, env: str) -> dict[str, float]:
    """Model name -> its budget in $/h in env (spec.budget.max_hourly_usd after the env overlay)."""
    out: dict[str, float] = {}
    for source in project.by_kind("Model") if project is not None else []:
        if source.name is None or not source.enabled_in(env):
            continue
        budget = source.merged_spec(env).get("budget")
        limit = budget.get("max_hourly_usd") if isinstance(budget, dict) else None
        if isinstance(limit, (int, float)) and not isinstance(limit, bool):
            out[source.name] = float(limit)
    return out


def _budgets(
    env: str,
    budgets: dict[str, float],
    rendered: Rendered | None,
    costs: EnvCostDiff,
    failed: list[Finding],
) -> PolicyCheck:
    rule, setting = "model budgets", "spec.budget.max_hourly_usd"
    if failed:
        return PolicyCheck(rule, setting, FAIL, "; ".join(_where(f) for f in failed))
    if not budgets:
        return PolicyCheck(rule, setting, OFF, "no model sets a budget")
    if rendered is None:
        return PolicyCheck(rule, setting, UNKNOWN, f"{env} does not validate")
    details, unknown, over = [], False, False
    for name, limit in sorted(budgets.items()):
        spent = _model_cost(name, costs.rows)
        if spent is None:
            unknown = True
            details.append(f"{name}: cannot check (no price) against {usd(limit)}/h")
        else:
            over = over or spent > limit
            # sub-cent digits kept, so $2.004/h over a $2.00/h budget never reads "$2.00/h > $2.00/h"
            details.append(f"{name}: {usd(spent)}/h {'>' if spent > limit else '≤'} {usd(limit)}/h")
    status = FAIL if over else CANNOT if unknown else PASS
    return PolicyCheck(rule, setting, status, "; ".join(details))


def _model_cost(name: str, rows: list[EndpointCostDiff]) -> float | None:
    """A model's $/h at most: its own endpoint's maximum, or its share of the pool it runs on."""
    for row in rows:
        if row.key == name and row.head is not None:
            return row.hourly_max_head
        for share in row.shares:
            if share.key == name:
                return share.hourly
    return None
