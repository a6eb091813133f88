"""`sagespec review`: what a change to the specs does, per environment, before anyone applies it.

Offline by design: the base ref is read with git, both sides are validated and rendered by the
current code, and Terraform itself plans the head against the base with the offline stand-in
providers (or a real plan is given with --plan). The report holds the spec changes, Terraform's
resource changes explained in SageMaker terms, validation findings, policy results and cost.

Modules: base_ref (git), sides (load, validate, render), spec_diff, plan_changes (the plan
explained), costing + price_sources, policy_check, model (the facts), build (assembly), report
(Markdown from templates/, with report_changes, report_cost, report_text, money) + report_split
(GitHub's comment limit), json_out.
"""

from __future__ import annotations

from .build import build_review
from .model import Review

__all__ = ["Review", "build_review"]
