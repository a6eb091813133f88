"""The review as JSON for machines: the same facts as the Markdown, in a stable, documented shape.

Top-level keys (schema "sagespec.review/v1"; new keys may be added, none removed or renamed):
  schema, ok, exit_code, base {ref, commit, label}, head,
  summary {errors, warnings, specs {added, changed, removed}, resources {create, update, replace,
           destroy}, monthly_usd {base, head, delta, complete, unpriced [env/key], unknown_envs}},
  alerts [{level, env, address, action, message}],
  specs [{kind, name, status, file, base_file, note, fields [{path, change, before, after}]}],
  environments [{env, protected, status, base_origin, head_valid, render_current, notes,
                 plan {source, scope},
                 resource_changes [{address, type, actions, impact}],
                 changes [{address, type, actions, action, impact, disruptive, key, module,
                           replace_paths, action_reason, name_before, name_after, triggers}],
                 cost {region, hourly_usd {base, head, delta}, hourly_max_usd {base, head},
                       monthly_usd {base, head, delta}, unpriced {base, head}, complete,
                       endpoints [{key, name, type, base, head, hourly_usd {base, head, delta},
                                   monthly_usd {base, head}, hourly_max_usd_head, priced,
                                   priced_sides {base, head}, changed, idle, note, components,
                                   shares [{key, copies, hourly_usd}]}]},
                 policy [{rule, setting, status, detail}]}],
  findings [{file, line, col, severity, code, message, path, hint, envs}],
  cost {hours_per_month, assumptions, sources [{url, as_of, priced}]},
  notes [..]
Money is USD as a number, null when unknown or unpriced; `base`/`head` of a sizing is null when
the endpoint is absent on that side (it then costs 0 there, and counts as priced). Totals and deltas
count priced endpoints only; a delta is taken only over endpoints priced on both sides. `complete`
is true only when every environment validates and every endpoint is priced on both sides; `priced`
per endpoint is false when a side that exists has no sourced price (`priced_sides` says which).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .costing import HOURS_PER_MONTH, EndpointCostDiff, EnvCostDiff, Sizing, Total, headline
from .model import EnvReview, Review

SCHEMA = "sagespec.review/v1"


def to_json(review: Review) -> str:
    return json.dumps(to_dict(review), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_dict(review: Review) -> dict[str, Any]:
    line = headline([e.cost for e in review.envs])
    return {
        "schema": SCHEMA,
        "ok": review.ok,
        "exit_code": review.exit_code,
        "base": {"ref": review.base_ref, "commit": review.base_commit, "label": review.base_label},
        "head": review.head,
        "summary": {
            "errors": review.errors,
            "warnings": review.warnings,
            "specs": review.spec_counts(),
            "resources": review.counts(),
            "monthly_usd": {
                "base": _usd(line.base_monthly),
                "head": _usd(line.head_monthly),
                "delta": _usd(line.delta_monthly),
                "complete": line.complete,
                "unpriced": list(line.unpriced),
                "unknown_envs": list(line.unknown_envs),
            },
        },
        "alerts": [asdict(a) for a in review.alerts()],
        "specs": [{**asdict(s), "fields": [asdict(f) for f in s.fields]} for s in review.specs],
        "environments": [_env(e) for e in review.envs],
        "findings": [asdict(f) for f in review.findings],
        "cost": {
            "hours_per_month": HOURS_PER_MONTH,
            "assumptions": review.assumptions,
            "sources": [asdict(s) for s in review.sources],
        },
        "notes": list(review.notes),
    }


def _env(env: EnvReview) -> dict[str, Any]:
    return {
        "env": env.env,
        "protected": env.protected,
        "status": env.status,
        "base_origin": env.base_origin,
        "head_valid": env.head_valid,
        "render_current": env.render_current,
        "notes": list(env.notes),
        # `address` and `actions` exactly as in Terraform's plan JSON; `source`: "offline" (the stand-in
        # providers), "terraform plan" (--plan ENV=PATH) or null (nothing changed: not planned).
        "plan": {
            "source": env.plan_source,
            "scope": list(env.plan_scope) if env.plan_scope is not None else None,
        },
        "resource_changes": [
            {"address": c.address, "type": c.type, "actions": list(c.actions), "impact": c.impact}
            for c in env.changes
        ],
        "changes": [
            {**asdict(c), "actions": list(c.actions), "replace_paths": list(c.replace_paths)}
            for c in env.changes
        ],
        "cost": _cost(env.cost),
        "policy": [asdict(p) for p in env.policy],
    }


def _cost(cost: EnvCostDiff) -> dict[str, Any]:
    base, head = cost.base, cost.head
    return {
        "region": cost.region,
        "hourly_usd": {
            "base": _total(base, "hourly"),
            "head": _total(head, "hourly"),
            "delta": _usd(cost.delta_hourly),
        },
        "hourly_max_usd": {"base": _total(base, "hourly_max"), "head": _total(head, "hourly_max")},
        "monthly_usd": {
            "base": _total(base, "monthly"),
            "head": _total(head, "monthly"),
            "delta": _usd(cost.delta_monthly),
        },
        "unpriced": {"base": base.unpriced if base else None, "head": head.unpriced if head else None},
        "complete": cost.complete,
        "endpoints": [_row(r) for r in cost.rows],
    }


def _row(row: EndpointCostDiff) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.name,
        "type": row.type,
        "base": _sizing(row.base),
        "head": _sizing(row.head),
        "hourly_usd": {
            "base": _usd(row.hourly_base),
            "head": _usd(row.hourly_head),
            "delta": _usd(row.delta),
        },
        "monthly_usd": {"base": _usd(row.monthly_base), "head": _usd(row.monthly_head)},
        "hourly_max_usd_head": _usd(row.hourly_max_head),
        "priced": row.priced,
        "priced_sides": {"base": row.priced_base, "head": row.priced_head},
        "changed": row.changed,
        "idle": row.idle,
        "note": row.note,
        "components": list(row.components),
        "shares": [{"key": s.key, "copies": s.copies, "hourly_usd": _usd(s.hourly)} for s in row.shares],
    }


def _sizing(sizing: Sizing | None) -> dict[str, Any] | None:
    if sizing is None:
        return None
    return {
        "instance_type": sizing.instance_type,
        "instances": sizing.instances,
        "max_instances": sizing.max_instances,
        "serverless": sizing.serverless,
        "text": sizing.text(),
    }


def _total(total: Total | None, field: str) -> float | None:
    return None if total is None else _usd(float(getattr(total, field)))


def _usd(value: float | None) -> float | None:
    return None if value is None else round(value, 6)  # no float noise (3.2683999999999997)
