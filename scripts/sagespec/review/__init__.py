"""`sagespec review`: what a change to the specs does, per environment, before anyone plans it.

Offline by design: the base ref is read with git, both sides are validated and rendered by the
current code, and the difference is reported as spec changes, predicted resource changes
(create / update / replace / destroy, with reasons), validation findings, policy results and
cost. No AWS call and no Terraform.

Modules: base_ref (git), sides (load, validate, render), spec_diff, resource_diff, costing,
policy_check, model (the facts), build (assembly), markdown + split, json_out.
"""

from __future__ import annotations

from .build import build_review
from .model import Review

__all__ = ["Review", "build_review"]
