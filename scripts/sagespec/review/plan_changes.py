"""Terraform's planned resource changes, explained in SageMaker terms.

Every row is one entry of the plan's `resource_changes` (address and actions exactly as Terraform
wrote them); only the explanation is ours, decided from the resource type and the actions:
an endpoint configuration replaced create-before-destroy is a blue/green update, an endpoint or
inference component deleted before its replacement exists is downtime, a scalable target that is
re-registered resets capacity to the configuration's initial count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..terraform.plan_summary import action_of

CREATE, UPDATE, REPLACE, DESTROY = "create", "update", "replace", "destroy"
ACTIONS = (CREATE, UPDATE, REPLACE, DESTROY)

_MODULE = re.compile(r'^module\.([a-z0-9_]+)(?:\["([^"]+)"\])?\.')
_SERVING = ("aws_sagemaker_endpoint", "awscc_sagemaker_inference_component")
_LABELS = {
    "aws_sagemaker_endpoint": "endpoint",
    "aws_sagemaker_endpoint_configuration": "endpoint configuration",
    "aws_sagemaker_model": "model",
    "awscc_sagemaker_inference_component": "inference component",
    "aws_appautoscaling_target": "autoscaling target",
    "aws_appautoscaling_policy": "scaling policy",
    "aws_cloudwatch_metric_alarm": "alarm",
    "aws_iam_role": "execution role",
    "aws_iam_role_policy": "execution role policy",
    "aws_s3_bucket": "artifact bucket",
    "terraform_data": "replacement trigger (Terraform's own, no AWS object)",
}
_NAME_FIELDS = ("name", "inference_component_name", "alarm_name", "bucket")


@dataclass(frozen=True)
class ExplainedChange:
    """One resource change of the plan and what it means for SageMaker (terraform/plan_summary's
    ResourceChange is the same entry as Terraform states it, for the plan command's table)."""

    address: str  # exactly as in the plan
    type: str
    actions: tuple[str, ...]  # exactly as in the plan: ("create",), ("delete", "create"), ...
    action: str  # create | update | replace | destroy
    impact: str  # one line, for people
    disruptive: bool  # traffic stops or the endpoint is down for a while
    key: str  # the spec the resource belongs to ("" for environment-wide resources)
    module: str  # model | endpoint | inference_component | execution_role | artifact_bucket | ""
    replace_paths: tuple[str, ...] = ()
    action_reason: str | None = None
    name_before: str | None = None
    name_after: str | None = None
    # the terraform_data replacement triggers that change in the same module instance (kind,
    # invocation, placement): why a replace_by_triggers replacement happens
    triggers: tuple[str, ...] = ()

    @property
    def resource(self) -> str:
        return _LABELS.get(self.type, self.type)

    @property
    def reason(self) -> str:
        return self.impact

    @property
    def bookkeeping(self) -> bool:
        """Terraform's own terraform_data (a replacement trigger): no AWS object. The JSON keeps it, as
        the plan has it; the counts and the Markdown leave it out (what it triggers has its own row)."""
        return self.type == "terraform_data"

    @property
    def details(self) -> tuple[str, ...]:
        return tuple(f"forces replacement: {p}" for p in self.replace_paths)


def _path_text(path: list[Any]) -> str:
    return ".".join(str(step) for step in path)


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        for field in _NAME_FIELDS:
            if isinstance(value.get(field), str):
                return str(value[field])
    return None


_DELETE_FIRST, _CREATE_FIRST = ("delete", "create"), ("create", "delete")
_RESET = "capacity resets to the configuration's initial count until autoscaling scales out again"
# (type, actions) -> (what happens, disruptive); "{label}" and "{why}" are filled in. "serving" stands
# for endpoints and inference components, "*" for any other type.
_IMPACTS: dict[tuple[str, tuple[str, ...]], tuple[str, bool]] = {
    ("serving", _DELETE_FIRST): (
        "{label} deleted, then created again under the same name{why}: DOWNTIME until it is InService",
        True,
    ),
    ("aws_appautoscaling_target", _DELETE_FIRST): (
        f"scalable target registered again{{why}}: {_RESET}",
        False,
    ),
    ("*", _DELETE_FIRST): ("{label} deleted, then created again{why}", False),
    ("aws_sagemaker_endpoint_configuration", _CREATE_FIRST): (
        "new configuration created before the old one is deleted: the endpoint moves to it blue/green, "
        "no downtime",
        False,
    ),
    ("aws_sagemaker_model", _CREATE_FIRST): (
        "new model created before the old one is deleted (models are immutable){why}",
        False,
    ),
    ("aws_appautoscaling_target", _CREATE_FIRST): (
        f"scalable target registered again{{why}}: {_RESET}",
        False,
    ),
    ("*", _CREATE_FIRST): ("new {label} created before the old one is deleted{why}", False),
    ("aws_sagemaker_endpoint", ("update",)): (
        "endpoint updated in place (UpdateEndpoint): blue/green, traffic moves once the new fleet is "
        "healthy; no downtime",
        False,
    ),
    ("awscc_sagemaker_inference_component", ("update",)): (
        "inference component updated in place (UpdateInferenceComponent): copies are rolled, no downtime",
        False,
    ),
    ("aws_appautoscaling_target", ("update",)): (
        "scaling bounds change in place: Application Auto Scaling moves the current count into the new range",
        False,
    ),
    ("*", ("update",)): ("{label} updated in place", False),
    ("serving", ("delete",)): ("{label} deleted: traffic to it stops", True),
    ("aws_appautoscaling_target", ("delete",)): (
        "scalable target deregistered: autoscaling stops, capacity stays where it is",
        False,
    ),
    ("*", ("delete",)): ("{label} deleted", False),
    ("serving", ("create",)): ("new {label}: serves once InService", False),
    ("*", ("create",)): ("new {label}", False),
}


# LoRA adapters are inference components of their own module: they run on their base's copies.
_ADAPTER_IMPACTS: dict[tuple[str, ...], tuple[str, bool]] = {
    ("update",): ("adapter updated in place: only this adapter reloads; its base keeps its copies", False),
    ("create",): ("new LoRA adapter on its base's copies: the base is not redeployed", False),
    ("delete",): ("LoRA adapter removed: requests naming it fail", True),
}


def _impact(
    type_name: str, actions: tuple[str, ...], reason: str | None, paths: tuple[str, ...], module: str = ""
) -> tuple[str, bool]:
    if module == "inference_component_adapter" and actions in _ADAPTER_IMPACTS:
        return _ADAPTER_IMPACTS[actions]
    why = f" ({', '.join(paths)} cannot change in place)" if paths else ""
    if reason == "replace_by_triggers":
        why = " (replace_triggered_by)"
    kinds = (type_name, "serving" if type_name in _SERVING else None, "*")
    for kind in kinds:
        found = _IMPACTS.get((kind, actions)) if kind else None
        if found:
            text, disruptive = found
            return text.format(label=_LABELS.get(type_name, type_name), why=why), disruptive
    return f"{_LABELS.get(type_name, type_name)}: {'/'.join(actions)}", False


# What a replacement trigger stands for (modules/endpoint, modules/inference-component*; sources in
# docs/updates.md), said where the replacement is explained.
_TRIGGER_WHY = {
    ("endpoint", "kind"): "serverless <-> instance-backed, which UpdateEndpoint cannot convert",
    ("endpoint", "invocation"): "async <-> real-time, which UpdateEndpoint cannot convert",
    ("inference_component", "placement"): (
        "on its new pool: UpdateInferenceComponent cannot move it, and clients call the new pool's "
        "endpoint name"
    ),
    ("inference_component_adapter", "placement"): "on its new base: an adapter cannot move in place",
}
_ALARMS_WHY = "rollback alarms added or all removed: the aws provider replaces the endpoint for that"


def _module_instance(address: str, type_name: str) -> str:
    return address[: address.rfind(type_name)]


def _explain_triggers(changes: list[ExplainedChange]) -> list[ExplainedChange]:
    """Name the cause of each replacement the HCL's terraform_data triggers (or the rollback-alarm
    ForceNew) forces on an endpoint or inference component."""
    fired: dict[str, list[str]] = {}
    for change in changes:
        if change.bookkeeping:
            name = change.address.rsplit(".", 1)[-1]
            fired.setdefault(_module_instance(change.address, change.type), []).append(name)
    out = []
    for change in changes:
        if change.type in _SERVING:
            names = tuple(fired.get(_module_instance(change.address, change.type), ()))
            whys = [_TRIGGER_WHY[(change.module, n)] for n in names if (change.module, n) in _TRIGGER_WHY]
            if any("auto_rollback_configuration" in p for p in change.replace_paths):
                whys.append(_ALARMS_WHY)
            if change.actions == _DELETE_FIRST and whys:
                text = _IMPACTS[("serving", _DELETE_FIRST)][0]
                impact = text.format(label=change.resource, why=f" ({'; '.join(whys)})")
                change = replace(change, impact=impact)
            change = replace(change, triggers=names)
        out.append(change)
    return out


def _same_name_moves(changes: list[ExplainedChange]) -> list[ExplainedChange]:
    """A serving resource destroyed at one address and created at another under the same name is a
    delete-then-create to AWS (the name is taken until the delete), whatever order Terraform picks."""
    created = {(c.type, c.name_after) for c in changes if c.action == CREATE and c.type in _SERVING}
    deleted = {(c.type, c.name_before) for c in changes if c.action == DESTROY and c.type in _SERVING}
    moved = created & deleted
    out = []
    for change in changes:
        pair = (change.type, change.name_after if change.action == CREATE else change.name_before)
        if change.action in (CREATE, DESTROY) and pair in moved:
            change = replace(
                change,
                impact=f"{_LABELS[change.type]} {pair[1]} is deleted and created again at another address: "
                "DOWNTIME until it is InService (the name is taken until the old one is gone)",
                disruptive=True,
            )
        out.append(change)
    return out


def from_plan(plan: dict[str, Any]) -> list[ExplainedChange]:
    """The managed resources the plan changes, in the plan's order."""
    out: list[ExplainedChange] = []
    for entry in plan.get("resource_changes") or []:
        if entry.get("mode") != "managed":
            continue
        change = entry.get("change") or {}
        actions = tuple(change.get("actions") or ())
        action = action_of(actions)
        if action not in ACTIONS:
            continue  # no-op, read, forget: nothing changes in AWS
        paths = tuple(_path_text(p) for p in change.get("replace_paths") or [] if isinstance(p, list))
        reason = entry.get("action_reason")
        match = _MODULE.match(str(entry.get("address")))
        module = match.group(1) if match else ""
        impact, disruptive = _impact(str(entry.get("type")), actions, reason, paths, module)
        out.append(
            ExplainedChange(
                address=str(entry["address"]),
                type=str(entry.get("type")),
                actions=actions,
                action=action,
                impact=impact,
                disruptive=disruptive,
                key=(match.group(2) or "") if match else "",
                module=module,
                replace_paths=paths,
                action_reason=reason,
                name_before=_name(change.get("before")),
                name_after=_name(change.get("after")),
            )
        )
    return _explain_triggers(_same_name_moves(out))
