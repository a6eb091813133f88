"""Find and delete SageMaker resources an environment no longer renders.

A resource is a candidate only when it carries both tags `managed-by = sagespec` and
`sagespec-env = <env>` and its name is not in the env's rendered file; untagged resources and
other environments are never touched. A candidate still in use is kept and reported: an endpoint
config an endpoint runs, a model a kept config or component uses, an endpoint that still hosts
kept inference components (the usual case right after a render, before `make apply`). Users
are looked for in the whole account, not only among names that hold -<env>: a config named
otherwise that runs one of our models keeps it.
Deletion runs in dependency order: inference components (and waits until they are gone, since
an endpoint cannot be deleted under them), endpoints, endpoint configs, models. When a delete
fails, what that resource uses is left alone (it is still in use) and reported as not deleted.
`--yes` runs only from the committed render (ops/committed.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ..aws import error_code
from ..render.types import Rendered
from ..tags import marks_env
from . import components

ORDER = ("inference-component", "endpoint", "endpoint-config", "model")
# kind -> (list operation, response list key, name field, ARN field)
_LISTS = {
    "endpoint": ("list_endpoints", "Endpoints", "EndpointName", "EndpointArn"),
    "endpoint-config": (
        "list_endpoint_configs",
        "EndpointConfigs",
        "EndpointConfigName",
        "EndpointConfigArn",
    ),
    "model": ("list_models", "Models", "ModelName", "ModelArn"),
}


@dataclass(frozen=True)
class Resource:
    kind: str
    name: str
    arn: str
    endpoint: str | None = None  # inference components: the endpoint they run on


@dataclass
class Plan:
    orphans: list[Resource] = field(default_factory=list)  # to delete, in deletion order
    kept: list[tuple[Resource, str]] = field(default_factory=list)  # tagged orphans still in use, and why


def rendered_names(rendered: Rendered) -> dict[str, set[str]]:
    endpoints = rendered["endpoints"].values()
    return {
        "inference-component": {ic["name"] for ic in rendered["inference_components"].values()}
        | {a["name"] for a in (rendered.get("inference_component_adapters") or {}).values()},
        "endpoint": {ep["name"] for ep in endpoints},
        "endpoint-config": {ep["config_name"] for ep in endpoints},
        "model": {m["name"] for m in rendered["models"].values()},
    }


def _name_filter(env: str) -> str:
    # Every sagespec name is `<spec>-<env>` or `<spec>-<env>-<hash>` (docs/rendered-format.md): a
    # server-side filter that spares a tag lookup per unrelated resource. Tags still decide.
    return f"-{env}"


def list_resources(sm: Any, kind: str, env: str | None) -> list[Resource]:
    """Resources of one kind whose names hold -<env>; every one of the account when env is None."""
    operation, key, name_field, arn_field = _LISTS[kind]
    found = []
    kwargs = {"NameContains": _name_filter(env)} if env else {}
    for page in sm.get_paginator(operation).paginate(**kwargs):
        found += [Resource(kind, item[name_field], item[arn_field]) for item in page.get(key, [])]
    return found


def list_component_resources(sm: Any, env: str | None) -> list[Resource]:
    return [
        Resource(
            "inference-component",
            c["InferenceComponentName"],
            c["InferenceComponentArn"],
            c.get("EndpointName"),
        )
        for c in components.list_components(sm, _name_filter(env) if env else None)
    ]


def tagged_for(sm: Any, arn: str, env: str) -> bool:
    tags: dict[str, str] = {}
    for page in sm.get_paginator("list_tags").paginate(ResourceArn=arn):
        tags.update({t["Key"]: t["Value"] for t in page.get("Tags", [])})
    return marks_env(tags, env)


def plan(
    sm: Any,
    env: str,
    rendered: Rendered,
    resources: list[Resource],
    others: Sequence[Resource] = (),
) -> Plan:
    """Split `resources` (everything listed for the env) into orphans to delete and orphans still in
    use. `others` (the rest of the account, never deleted) count as users too: a config outside the
    name filter that runs one of our models keeps that model."""
    wanted = rendered_names(rendered)
    orphans = {r for r in resources if r.name not in wanted[r.kind] and tagged_for(sm, r.arn, env)}
    kept: dict[Resource, str] = {}
    while True:  # a kept orphan keeps what it uses in turn (endpoint -> config -> model)
        survivors = [r for r in resources if r not in orphans or r in kept]
        users = _users(sm, [*survivors, *others])
        more = {r: users[(r.kind, r.name)] for r in orphans if (r.kind, r.name) in users}
        if more.keys() == kept.keys():
            break
        kept = more
    ordered = sorted(orphans, key=lambda r: (ORDER.index(r.kind), r.name))
    return Plan([r for r in ordered if r not in kept], [(r, kept[r]) for r in ordered if r in kept])


def _users(sm: Any, survivors: list[Resource]) -> dict[tuple[str, str], str]:
    """(kind, name) -> which surviving resource still uses it."""
    users: dict[tuple[str, str], str] = {}
    for ic in (r for r in survivors if r.kind == "inference-component"):
        if ic.endpoint:
            users[("endpoint", ic.endpoint)] = f"hosts inference component {ic.name}"
        described = components.describe_component(sm, ic.name) or {}
        model = (described.get("Specification") or {}).get("ModelName")
        if model:
            users[("model", model)] = f"used by inference component {ic.name}"
    configs = {r.name for r in survivors if r.kind == "endpoint-config"}
    for endpoint in (r for r in survivors if r.kind == "endpoint"):
        config = _describe(sm.describe_endpoint, EndpointName=endpoint.name).get("EndpointConfigName")
        if config:
            users[("endpoint-config", config)] = f"run by endpoint {endpoint.name}"
            configs.add(config)
    for config in sorted(configs):
        variants = _describe(sm.describe_endpoint_config, EndpointConfigName=config).get(
            "ProductionVariants", []
        )
        for variant in variants:
            if variant.get("ModelName"):
                users[("model", variant["ModelName"])] = f"used by endpoint config {config}"
    return users


def _describe(call: Callable[..., Any], **kwargs: str) -> dict[str, Any]:
    try:
        return dict(call(**kwargs))
    except ClientError as exc:
        if error_code(exc) == "ValidationException":
            return {}  # deleted meanwhile
        raise


def delete(sm: Any, resource: Resource) -> None:
    if resource.kind == "inference-component":
        components.delete_component(sm, resource.name)
    elif resource.kind == "endpoint":
        sm.delete_endpoint(EndpointName=resource.name)
    elif resource.kind == "endpoint-config":
        sm.delete_endpoint_config(EndpointConfigName=resource.name)
    else:
        sm.delete_model(ModelName=resource.name)


def _uses(sm: Any, resource: Resource) -> set[tuple[str, str]]:
    """What `resource` runs on or uses: (kind, name) pairs. Asked only after a failed delete."""
    if resource.kind == "inference-component":
        model = ((components.describe_component(sm, resource.name) or {}).get("Specification") or {}).get(
            "ModelName"
        )
        return {("endpoint", resource.endpoint or ""), ("model", model or "")} - {
            ("endpoint", ""),
            ("model", ""),
        }
    if resource.kind == "endpoint":
        config = _describe(sm.describe_endpoint, EndpointName=resource.name).get("EndpointConfigName")
        return {("endpoint-config", config)} if config else set()
    if resource.kind == "endpoint-config":
        variants = _describe(sm.describe_endpoint_config, EndpointConfigName=resource.name).get(
            "ProductionVariants", []
        )
        return {("model", v["ModelName"]) for v in variants if v.get("ModelName")}
    return set()


def execute(
    sm: Any,
    orphans: list[Resource],
    report: Callable[[Resource, str | None], None],
    wait: Callable[[Any, list[str]], list[str]] = components.wait_deleted,
) -> int:
    """Delete in dependency order, reporting each; the number of failures.

    A resource whose delete failed still exists and still uses what it used: those are not
    deleted (an endpoint config and model under an endpoint that would not go), and count as
    failures, as do the ones they in turn use."""
    failures, pending = 0, list[str]()
    blocked: dict[tuple[str, str], str] = {}  # (kind, name) -> the resource that still uses it
    for resource in sorted(orphans, key=lambda r: ORDER.index(r.kind)):
        if resource.kind != "inference-component" and pending:
            wait(sm, pending)  # one still deleting makes its endpoint's deletion fail, and say so
            pending = []
        user = blocked.get((resource.kind, resource.name))
        if user is not None:
            report(resource, f"not deleted: {user} still uses it (its delete failed)")
            failures += 1
            blocked.update(dict.fromkeys(_uses(sm, resource), f"{resource.kind} {resource.name}"))
            continue
        try:
            delete(sm, resource)
        except ClientError as exc:
            report(resource, f"{error_code(exc)}: {exc.response.get('Error', {}).get('Message', '')}")
            failures += 1
            blocked.update(dict.fromkeys(_uses(sm, resource), f"{resource.kind} {resource.name}"))
            continue
        if resource.kind == "inference-component":
            pending.append(resource.name)
        report(resource, None)
    return failures
