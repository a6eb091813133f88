"""The facts of a review, shared by the Markdown and JSON outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from .costing import EnvCostDiff
from .plan_changes import ACTIONS, DESTROY, REPLACE, ExplainedChange
from .policy_check import FAIL, PolicyCheck
from .price_sources import PriceSource
from .spec_diff import ADDED, CHANGED, REMOVED, SpecChange

CAUTION, WARNING = "caution", "warning"
# how an environment compares: in head only, in base only, no difference, differs, head invalid
ENV_ADDED, ENV_REMOVED, ENV_UNCHANGED, ENV_CHANGED, ENV_UNKNOWN = (
    "added",
    "removed",
    "unchanged",
    "changed",
    "unknown",
)


@dataclass
class EnvReview:
    env: str
    protected: bool
    status: str
    base_origin: str | None  # "render" | "committed" | None (no base for this env)
    head_valid: bool  # the head renders in this env
    changes: list[ExplainedChange]
    cost: EnvCostDiff
    policy: list[PolicyCheck]
    render_current: bool | None  # the committed envs/<env>/rendered.tfvars.json equals the head's render
    notes: list[str] = field(default_factory=list)
    plan_source: str | None = (
        None  # "offline" (stand-in providers) | "terraform plan" (--plan) | None: not planned
    )
    plan_scope: tuple[str, ...] | None = None  # module instances an offline plan covered; None: all

    @property
    def shown(self) -> list[ExplainedChange]:
        """The changes to AWS objects (without Terraform's own replacement triggers)."""
        return [c for c in self.changes if not c.bookkeeping]

    def counts(self) -> dict[str, int]:
        return {action: sum(1 for c in self.shown if c.action == action) for action in ACTIONS}

    @property
    def policy_failed(self) -> bool:
        return any(check.status == FAIL for check in self.policy)


@dataclass(frozen=True)
class Alert:
    level: str  # caution: traffic stops or downtime; warning: a replacement in a protected env
    env: str
    address: str
    action: str
    message: str


@dataclass
class Review:
    base_ref: str
    base_commit: str | None
    head: str  # "working tree"
    specs: list[SpecChange]
    envs: list[EnvReview]
    findings: list[Finding]
    sources: list[PriceSource]
    assumptions: str
    notes: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)  # Markdown blocks of `review --live`

    @property
    def base_label(self) -> str:
        return (
            f"{self.base_ref} ({self.base_commit[:7]})"
            if self.base_commit
            else f"{self.base_ref} (not found)"
        )

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def spec_counts(self) -> dict[str, int]:
        return {
            status: sum(1 for s in self.specs if s.status == status) for status in (ADDED, CHANGED, REMOVED)
        }

    def counts(self) -> dict[str, int]:
        return {action: sum(e.counts()[action] for e in self.envs) for action in ACTIONS}

    def monthly(self) -> tuple[float, float, bool]:
        """Base and head $/month over the envs whose head is known (both sides over the same envs), and
        whether that is every env."""
        known = [e.cost for e in self.envs if e.cost.head is not None]
        base = sum(c.base.monthly for c in known if c.base is not None)
        head = sum(c.head.monthly for c in known if c.head is not None)
        return base, head, len(known) == len(self.envs)

    def alerts(self) -> list[Alert]:
        alerts: list[Alert] = []
        for env in self.envs:
            if env.status == ENV_REMOVED:
                alerts.append(
                    Alert(
                        CAUTION,
                        env.env,
                        f"envs/{env.env}",
                        DESTROY,
                        f"environment {env.env} removed: every resource it rendered is destroyed "
                        "(or orphaned, if nobody applies it)",
                    )
                )
            loud = {c.key for c in env.changes if c.disruptive}
            for change in env.changes:
                if change.disruptive:
                    alerts.append(Alert(CAUTION, env.env, change.address, change.action, change.reason))
                elif env.protected and change.action in (REPLACE, DESTROY) and change.key not in loud:
                    # a spec whose endpoint already has a caution needs no second line per sub-resource
                    alerts.append(Alert(WARNING, env.env, change.address, change.action, change.reason))
        return alerts
