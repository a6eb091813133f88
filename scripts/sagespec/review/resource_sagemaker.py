"""Per-spec resource changes: models, endpoint configs, endpoints, inference components, autoscaling."""

from __future__ import annotations

from typing import Any

from ..rules.suggest import count
from .resource_diff import (
    CREATE,
    DESTROY,
    REPLACE,
    UPDATE,
    Rendered,
    ResourceChange,
    change,
    field_lines,
    pairs,
    show,
    summary,
    tag_lines,
)

MODEL_FIELDS = {
    "image": "image",
    "model_data": "model data",
    "network_isolation": "network isolation",
    "vpc": "VPC",
}
CONFIG_FIELDS = {
    "type": "type",
    "variant_name": "variant",
    "model_key": "model",
    "instance_type": "instance type",
    "initial_instance_count": "instance count",
    "volume_size_gb": "volume size (GB)",
    "model_data_download_timeout_s": "model download timeout (s)",
    "container_startup_health_check_timeout_s": "startup health check timeout (s)",
    "routing_strategy": "routing strategy",
    "managed_instance_scaling": "managed instance scaling",
    "serverless": "serverless config",
    "async": "async config",
    "data_capture": "data capture",
}
COMPONENT_FIELDS = {
    "copies": "copies",
    "accelerators": "accelerators",
    "cpus": "CPUs",
    "memory_mb": "memory (MB)",
    "model_data_download_timeout_s": "model download timeout (s)",
    "container_startup_health_check_timeout_s": "startup health check timeout (s)",
    "variant_name": "variant",
}
Json = dict[str, Any]


def changes(base: Rendered, head: Rendered) -> list[ResourceChange]:
    models = _models(base.get("models") or {}, head.get("models") or {})
    replaced = {c.key: c for c in models if c.action == REPLACE}
    return [
        *models,
        *_endpoints(base, head, replaced),
        *_components(
            base.get("inference_components") or {}, head.get("inference_components") or {}, replaced
        ),
        *_autoscaling(base, head),
    ]


# -- models ----------------------------------------------------------------------------------------


def _models(old_all: dict[str, Json], new_all: dict[str, Json]) -> list[ResourceChange]:
    created, destroyed, kept = pairs(old_all, new_all)
    out = [
        change("model", k, CREATE, f"new model {new_all[k]['name']}", after=new_all[k]["name"])
        for k in created
    ]
    out += [
        change("model", k, DESTROY, f"model {old_all[k]['name']} deleted", before=old_all[k]["name"])
        for k in destroyed
    ]
    for key in kept:
        old, new = old_all[key], new_all[key]
        if old.get("name") != new.get("name"):
            lines = _model_lines(old, new)
            what = summary([label for label, _ in lines]) if lines else "content changed"
            reason = f"{what}: new model {new['name']} (create before destroy)"
            out.append(
                change(
                    "model",
                    key,
                    REPLACE,
                    reason,
                    [line for _, line in lines],
                    False,
                    old["name"],
                    new["name"],
                )
            )
        elif old.get("tags") != new.get("tags"):
            lines2 = tag_lines(old.get("tags"), new.get("tags"))
            out.append(change("model", key, UPDATE, "tags changed", lines2, False, old["name"], new["name"]))
    return out


def _model_lines(old: Json, new: Json) -> list[tuple[str, str]]:
    lines = field_lines(MODEL_FIELDS, old, new)
    env_a, env_b = old.get("environment") or {}, new.get("environment") or {}
    for key in sorted(k for k in set(env_a) | set(env_b) if env_a.get(k) != env_b.get(k)):
        if key not in env_a:
            text = f"environment {key} added: {show(env_b[key])}"
        elif key not in env_b:
            text = f"environment {key} removed (was {show(env_a[key])})"
        else:
            text = f"environment {key}: {show(env_a[key])} → {show(env_b[key])}"
        lines.append((f"environment {key}", text))
    sec_a, sec_b = old.get("secret_environment") or {}, new.get("secret_environment") or {}
    for key in sorted(set(sec_a) | set(sec_b)):  # never a secret_environment value: the key says enough
        if key not in sec_a:
            lines.append((f"secret {key}", f"secret environment {key} added (value not shown)"))
        elif key not in sec_b:
            lines.append((f"secret {key}", f"secret environment {key} removed"))
        elif sec_a[key] != sec_b[key]:
            lines.append((f"secret {key}", f"secret environment {key}: secret ARN changed (value not shown)"))
    return lines


# -- endpoints and their configs -------------------------------------------------------------------


def _endpoints(base: Rendered, head: Rendered, replaced: dict[str, ResourceChange]) -> list[ResourceChange]:
    old_all, new_all = base.get("endpoints") or {}, head.get("endpoints") or {}
    created, destroyed, kept = pairs(old_all, new_all)
    out: list[ResourceChange] = []
    for key in created:
        new = new_all[key]
        out.append(
            change(
                "endpoint_config",
                key,
                CREATE,
                f"new endpoint config {new['config_name']}",
                after=new["config_name"],
            )
        )
        out.append(
            change(
                "endpoint", key, CREATE, f"new {new.get('type')} endpoint {new['name']}", after=new["name"]
            )
        )
    for key in destroyed:
        old = old_all[key]
        out.append(
            change(
                "endpoint_config",
                key,
                DESTROY,
                f"endpoint config {old['config_name']} deleted",
                before=old["config_name"],
            )
        )
        out.append(
            change(
                "endpoint",
                key,
                DESTROY,
                f"traffic to {old['name']} stops: the endpoint is deleted",
                disruptive=True,
                before=old["name"],
            )
        )
    for key in kept:
        out += _endpoint_changed(key, old_all[key], new_all[key], base, head, replaced)
    return out


def _endpoint_changed(
    key: str, old: Json, new: Json, base: Rendered, head: Rendered, replaced: dict[str, ResourceChange]
) -> list[ResourceChange]:
    out: list[ResourceChange] = []
    config_changed = old.get("config_name") != new.get("config_name")
    lines = _config_lines(old, new, base, head, replaced) if config_changed else []
    what = summary([label for label, _ in lines])
    details = [line for _, line in lines]
    if config_changed:
        reason = f"{what}: new endpoint config {new['config_name']} (create before destroy)"
        out.append(
            change(
                "endpoint_config",
                key,
                REPLACE,
                reason,
                details,
                False,
                old["config_name"],
                new["config_name"],
            )
        )
    if old.get("name") != new.get("name") or old.get("type") != new.get("type"):
        moved = old.get("type") != new.get("type")
        how = (
            f"type {old.get('type')} → {new.get('type')}" if moved else f"name {old['name']} → {new['name']}"
        )
        reason = f"{how}: the endpoint is deleted and created again, DOWNTIME until the new one is InService"
        return [*out, change("endpoint", key, REPLACE, reason, details, True, old["name"], new["name"])]
    reasons, extra = [], []
    if config_changed:
        reasons.append(f"{what}: new endpoint config, endpoint updated {rollout_text(new)}")
    if old.get("rollout") != new.get("rollout"):
        reasons.append("deployment config changed")
        extra.append(f"rollout: {show(old.get('rollout'))} → {show(new.get('rollout'))}")
    if old.get("tags") != new.get("tags"):
        reasons.append("tags changed")
        extra += tag_lines(old.get("tags"), new.get("tags"))
    if reasons:
        out.append(
            change("endpoint", key, UPDATE, "; ".join(reasons), extra, False, old["name"], new["name"])
        )
    return out


def _config_lines(
    old: Json, new: Json, base: Rendered, head: Rendered, replaced: dict[str, ResourceChange]
) -> list[tuple[str, str]]:
    lines = field_lines(CONFIG_FIELDS, old, new)
    model_key = new.get("model_key")
    model = replaced.get(str(model_key)) if model_key and model_key == old.get("model_key") else None
    if model is not None:
        cause = model.reason.split(":")[0]
        lines.append(("model", f"model: {model.name_before} → {model.name_after} ({cause})"))
    if base.get("kms_key_arn") != head.get("kms_key_arn"):
        lines.append(
            ("KMS key", f"KMS key: {show(base.get('kms_key_arn'))} → {show(head.get('kms_key_arn'))}")
        )
    return lines


def rollout_text(endpoint: Json) -> str:
    """How SageMaker moves traffic to the new config (the head's deployment config)."""
    rollout = endpoint.get("rollout")
    if not rollout:
        return "blue/green, all at once (SageMaker default)"
    step, wait = rollout.get("step_percent"), rollout.get("wait_s")
    text = {
        "CANARY": f"blue/green, canary {step} % first, the rest after {wait} s",
        "LINEAR": f"blue/green, linear steps of {step} % every {wait} s",
    }.get(str(rollout.get("traffic_routing")), f"blue/green, all at once after a {wait} s bake")
    alarms = rollout.get("rollback_alarms") or []
    return text + (f", auto-rollback on {', '.join(alarms)}" if alarms else "")


# -- inference components --------------------------------------------------------------------------


def _components(
    old_all: dict[str, Json], new_all: dict[str, Json], replaced: dict[str, ResourceChange]
) -> list[ResourceChange]:
    created, destroyed, kept = pairs(old_all, new_all)
    out = []
    for key in created:
        new = new_all[key]
        reason = (
            f"new inference component {new['name']}: {count(new.get('copies') or 0, 'copy', 'copies')} "
            f"on {new.get('endpoint_key')}"
        )
        out.append(change("inference_component", key, CREATE, reason, after=new["name"]))
    for key in destroyed:
        old = old_all[key]
        reason = f"traffic to {old['name']} stops: the inference component is deleted"
        out.append(change("inference_component", key, DESTROY, reason, disruptive=True, before=old["name"]))
    for key in kept:
        old, new = old_all[key], new_all[key]
        if old.get("name") != new.get("name") or old.get("endpoint_key") != new.get("endpoint_key"):
            moved = old.get("endpoint_key") != new.get("endpoint_key")
            how = (
                f"moves from {old.get('endpoint_key')} to {new.get('endpoint_key')}"
                if moved
                else f"name {old['name']} → {new['name']}"
            )
            reason = (
                f"{how}: the component is deleted and created again, DOWNTIME until its copies are InService"
            )
            out.append(
                change("inference_component", key, REPLACE, reason, (), True, old["name"], new["name"])
            )
            continue
        update = _component_update(key, old, new, replaced)
        if update is not None:
            out.append(update)
    return out


def _component_update(
    key: str, old: Json, new: Json, replaced: dict[str, ResourceChange]
) -> ResourceChange | None:
    lines = field_lines(COMPONENT_FIELDS, old, new)
    reasons = (
        [f"copies {old.get('copies')} → {new.get('copies')}"]
        if old.get("copies") != new.get("copies")
        else []
    )
    others = [label for label, _ in lines if label != "copies"]
    if others:
        reasons.append(summary(others))
    model = replaced.get(str(new.get("model_key")))
    if model is not None:
        reasons.append(f"new model {model.name_after} ({model.reason.split(':')[0]}): copies are redeployed")
        lines.append(("model", f"model: {model.name_before} → {model.name_after}"))
    if old.get("tags") != new.get("tags"):
        reasons.append("tags changed")
        lines += [("tags", line) for line in tag_lines(old.get("tags"), new.get("tags"))]
    if not reasons:
        return None
    details = [line for _, line in lines]
    return change(
        "inference_component", key, UPDATE, "; ".join(reasons), details, False, old["name"], new["name"]
    )


# -- autoscaling -----------------------------------------------------------------------------------


def _autoscaling(base: Rendered, head: Rendered) -> list[ResourceChange]:
    out: list[ResourceChange] = []
    for group in ("endpoints", "inference_components"):
        old_all, new_all = base.get(group) or {}, head.get(group) or {}
        for key in sorted(set(old_all) | set(new_all)):
            old = (old_all.get(key) or {}).get("autoscaling")
            new = (new_all.get(key) or {}).get("autoscaling")
            out += _scaling_change(key, old, new)
    return out


def _scaling_text(scaling: Json) -> str:
    dimension = str(scaling.get("scalable_dimension", "")).rsplit(":", 1)[-1]
    metric = scaling.get("predefined_metric") or scaling.get("custom_metric_name")
    low, high = scaling.get("min_capacity"), scaling.get("max_capacity")
    return f"{dimension} {low}..{high}, target {scaling.get('target_value')} {metric}"


def _scaling_change(key: str, old: Json | None, new: Json | None) -> list[ResourceChange]:
    if old == new:
        return []
    if old is None and new is not None:
        return [change("autoscaling", key, CREATE, f"autoscaling {_scaling_text(new)}")]
    if new is None and old is not None:
        reason = f"autoscaling removed (was {_scaling_text(old)}): capacity stays where it is"
        return [change("autoscaling", key, DESTROY, reason)]
    assert old is not None and new is not None
    lines = field_lines({k: k.replace("_", " ") for k in sorted(set(old) | set(new))}, old, new)
    action = REPLACE if old.get("scalable_dimension") != new.get("scalable_dimension") else UPDATE
    return [
        change("autoscaling", key, action, f"autoscaling {_scaling_text(new)}", [line for _, line in lines])
    ]
