"""Resource-level changes of one environment, derived from its base and head renders.

No Terraform runs: the rendered file decides every name, so the plan can be predicted. Models
and endpoint configs are immutable and content-named (a new name means a new object, created
before the old one is destroyed); an endpoint whose config changes is updated in place, blue/
green; an endpoint whose name or type changes is replaced, which takes it down. Addresses are
`<terraform resource type>.<spec name>`, a readable stand-in for the root module's addresses.
This module holds the shared vocabulary and the environment-wide resources; resource_sagemaker
the per-spec ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

CREATE, UPDATE, REPLACE, DESTROY = "create", "update", "replace", "destroy"
ACTIONS = (CREATE, UPDATE, REPLACE, DESTROY)
# display order of the resources of one spec
ORDER = (
    "provider",
    "bucket",
    "iam_role",
    "iam_role_policy",
    "model",
    "endpoint_config",
    "endpoint",
    "inference_component",
    "inference_component_adapter",
    "autoscaling",
)
TYPES = {
    "provider": "provider",
    "bucket": "aws_s3_bucket",
    "iam_role": "aws_iam_role",
    "iam_role_policy": "aws_iam_role_policy",
    "model": "aws_sagemaker_model",
    "endpoint_config": "aws_sagemaker_endpoint_configuration",
    "endpoint": "aws_sagemaker_endpoint",
    "inference_component": "awscc_sagemaker_inference_component",
    "inference_component_adapter": "awscc_sagemaker_inference_component",
    "autoscaling": "aws_appautoscaling_target",
}
ROLE_LISTS = {
    "s3_read_object_arns": "S3 read",
    "s3_write_prefix_arns": "S3 write",
    "ecr_repository_arns": "ECR pull",
    "sns_topic_arns": "SNS publish",
    "kms_key_arns": "KMS",
}
Rendered = dict[str, Any]
EMPTY: Rendered = {"models": {}, "endpoints": {}, "inference_components": {}}
_MAX_VALUE = 160


@dataclass(frozen=True)
class ResourceChange:
    address: str
    resource: str  # one of ORDER
    key: str  # the spec name ("" for environment-wide resources)
    action: str  # create | update | replace | destroy
    reason: str  # one line, for people
    details: tuple[str, ...] = ()  # one line per changed field
    disruptive: bool = False  # traffic stops, or the endpoint is down for a while
    name_before: str | None = None
    name_after: str | None = None


def change(
    resource: str,
    key: str,
    action: str,
    reason: str,
    details: Iterable[str] = (),
    disruptive: bool = False,
    before: str | None = None,
    after: str | None = None,
) -> ResourceChange:
    address = (
        f"{TYPES[resource]}.{key}" if key else f"{TYPES[resource]}.{_GLOBAL_NAMES.get(resource, 'this')}"
    )
    return ResourceChange(address, resource, key, action, reason, tuple(details), disruptive, before, after)


_GLOBAL_NAMES = {
    "provider": "aws",
    "bucket": "artifacts",
    "iam_role": "execution",
    "iam_role_policy": "execution",
}


def diff_env(base: Rendered | None, head: Rendered) -> list[ResourceChange]:
    from . import resource_sagemaker  # the per-spec half builds on this module's vocabulary

    old = base or EMPTY
    if old is not EMPTY and _placement(old) != _placement(head):
        where = f"{_placement(old)} → {_placement(head)}"
        moved = change(
            "provider",
            "",
            REPLACE,
            f"account/region changed ({where}): every resource is destroyed and created anew",
            disruptive=True,
        )
        return [moved, *diff_env(None, head), *_sorted(_changes(old, EMPTY, resource_sagemaker.changes))]
    return _sorted(_changes(old, head, resource_sagemaker.changes))


def _changes(
    base: Rendered, head: Rendered, per_spec: Callable[[Rendered, Rendered], list[ResourceChange]]
) -> list[ResourceChange]:
    return [*_provider(base, head), *_bucket(base, head), *_role(base, head), *per_spec(base, head)]


def _placement(rendered: Rendered) -> str:
    aws = rendered.get("aws") or {}
    return f"{aws.get('account_id')}/{aws.get('region')}"


def _sorted(changes: list[ResourceChange]) -> list[ResourceChange]:
    return sorted(changes, key=lambda c: (c.key != "", c.key, ORDER.index(c.resource), c.address))


def pairs(old_all: dict[str, Any], new_all: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """Keys only in the head, only in the base, and in both."""
    return (
        sorted(new_all.keys() - old_all.keys()),
        sorted(old_all.keys() - new_all.keys()),
        sorted(old_all.keys() & new_all.keys()),
    )


# -- formatting ------------------------------------------------------------------------------------


def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict) and "s3_uri" in value:
        value = value["s3_uri"]
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(", ", ": "))
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def field_lines(labels: dict[str, str], old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, "label: a → b") for every labelled field that differs."""
    return [
        (label, f"{label}: {show(old.get(f))} → {show(new.get(f))}")
        for f, label in labels.items()
        if old.get(f) != new.get(f)
    ]


def summary(labels: list[str]) -> str:
    labels = list(dict.fromkeys(labels))
    if not labels:
        return "settings changed"
    text = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"{text} changed"


def tag_lines(old: dict[str, Any] | None, new: dict[str, Any] | None, what: str = "tag") -> list[str]:
    old, new = old or {}, new or {}
    return [
        f"{what} {key}: {show(old.get(key))} → {show(new.get(key))}"
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


# -- environment-wide ------------------------------------------------------------------------------


def _provider(base: Rendered, head: Rendered) -> list[ResourceChange]:
    if (
        "default_tags" not in base
        or "default_tags" not in head
        or base["default_tags"] == head["default_tags"]
    ):
        return []
    lines = tag_lines(base["default_tags"], head["default_tags"])
    return [
        change(
            "provider", "", UPDATE, "default tags changed: every tagged resource is updated in place", lines
        )
    ]


def _bucket(base: Rendered, head: Rendered) -> list[ResourceChange]:
    old, new = _managed_bucket(base), _managed_bucket(head)
    if old is None and new is not None:
        return [change("bucket", "", CREATE, f"artifact bucket {new}", after=new)]
    if old is not None and new is None:
        return [
            change(
                "bucket",
                "",
                DESTROY,
                f"artifact bucket {old} is no longer managed here: Terraform deletes "
                "it (and refuses while it holds artifacts)",
                disruptive=True,
                before=old,
            )
        ]
    if old is None or new is None:
        return []
    if old != new:
        return [
            change(
                "bucket",
                "",
                REPLACE,
                f"bucket name {old} → {new}: a new bucket; the old one and its artifacts are deleted",
                disruptive=True,
                before=old,
                after=new,
            )
        ]
    kms_a, kms_b = base.get("kms_key_arn"), head.get("kms_key_arn")
    if kms_a != kms_b:
        return [
            change(
                "bucket",
                "",
                UPDATE,
                "encryption key changed",
                [f"KMS key: {show(kms_a)} → {show(kms_b)}"],
                before=old,
                after=new,
            )
        ]
    return []


def _managed_bucket(rendered: Rendered) -> str | None:
    bucket = rendered.get("artifact_bucket")
    return str(bucket["name"]) if isinstance(bucket, dict) and bucket.get("create") else None


def _role(base: Rendered, head: Rendered) -> list[ResourceChange]:
    old: dict[str, Any] = base.get("execution_role") or {}
    new: dict[str, Any] = head.get("execution_role") or {}
    if old == new:
        return []
    if not old and new:
        return [
            change("iam_role", "", CREATE, f"execution role {new.get('name')}", after=new.get("name")),
            change("iam_role_policy", "", CREATE, "least-privilege policy of the execution role"),
        ]
    if old and not new:
        return [
            change("iam_role", "", DESTROY, f"execution role {old.get('name')}", before=old.get("name")),
            change("iam_role_policy", "", DESTROY, "policy of the execution role"),
        ]
    out = []
    if old.get("name") != new.get("name"):
        out.append(
            change(
                "iam_role",
                "",
                REPLACE,
                f"role name {old.get('name')} → {new.get('name')}",
                before=old.get("name"),
                after=new.get("name"),
            )
        )
    details = _role_lines(old, new)
    if details:
        what = ", ".join(dict.fromkeys(line[2:].split(":")[0] for line in details))
        out.append(change("iam_role_policy", "", UPDATE, f"permissions changed: {what}", details))
    return out


def _role_lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for field, label in ROLE_LISTS.items():
        a, b = set(old.get(field) or []), set(new.get(field) or [])
        lines += [f"+ {label}: {item}" for item in sorted(b - a)]
        lines += [f"- {label}: {item}" for item in sorted(a - b)]
    a_list = {json.dumps(p, sort_keys=True) for p in old.get("s3_list_prefixes") or []}
    b_list = {json.dumps(p, sort_keys=True) for p in new.get("s3_list_prefixes") or []}
    lines += [f"+ S3 list: {show(json.loads(p))}" for p in sorted(b_list - a_list)]
    lines += [f"- S3 list: {show(json.loads(p))}" for p in sorted(a_list - b_list)]
    a_sec, b_sec = set(old.get("secret_arns") or []), set(new.get("secret_arns") or [])
    if b_sec - a_sec:  # secret ARNs are not secrets, but the review never prints secret references
        lines.append(f"+ secrets: {len(b_sec - a_sec)} secret ARN(s) (not shown)")
    if a_sec - b_sec:
        lines.append(f"- secrets: {len(a_sec - b_sec)} secret ARN(s) (not shown)")
    if old.get("vpc_access") != new.get("vpc_access"):
        lines.append(f"{'+' if new.get('vpc_access') else '-'} VPC: network interface permissions")
    return lines
