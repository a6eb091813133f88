"""Live capacity for the review (`sagespec review --live`): what serves now beside what the change
resets it to, and a warning when an update would drop capacity below what is serving.

What an apply resets:
- an endpoint whose configuration changes is updated to the new configuration, which starts from
  its initial_instance_count: the aws provider does not set RetainAllVariantProperties
  (https://github.com/hashicorp/terraform-provider-aws/issues/48990), so instances the autoscaler
  added are gone until it scales out again;
- an inference component's count is always a scalable target (modules/inference-component): without
  autoscaling it is pinned at the rendered copies; with autoscaling the autoscaler keeps its count
  within the new bounds (switching autoscaling on or off changes the target, never the component);
- a removed endpoint or component goes to 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ..aws import Aws
from . import components
from .verify_wait import describe_endpoint


@dataclass(frozen=True)
class Capacity:
    env: str
    kind: str  # endpoint | component
    key: str
    name: str
    unit: str  # instances | copies
    serving: int | None  # in service now; None: not deployed
    after: int | None  # what the apply sets; None: left as it is
    why: str

    @property
    def drops(self) -> bool:
        return self.serving is not None and self.after is not None and self.after < self.serving


def endpoint_after(base: Mapping[str, Any] | None, head: Mapping[str, Any] | None) -> tuple[int | None, str]:
    if head is None:
        return 0, "removed"
    if base is None:
        return int(head["initial_instance_count"]), "created"
    if base["config_name"] != head["config_name"]:
        return int(head["initial_instance_count"]), "new endpoint config starts at its initial_instance_count"
    return None, "unchanged"


def component_after(base: Mapping[str, Any] | None, head: Mapping[str, Any] | None) -> tuple[int | None, str]:
    if head is None:
        return 0, "removed"
    if base is None:
        return int(head["copies"]), "created"
    if head.get("autoscaling") is not None:
        return None, "autoscaler keeps its count within the new bounds"
    return int(head["copies"]), "scalable target pinned at the rendered copies"


def _serving_instances(sm: Any, name: str) -> int | None:
    reply = describe_endpoint(sm, name)
    variants = (reply or {}).get("ProductionVariants") or []
    count = variants[0].get("CurrentInstanceCount") if variants else None
    return None if count is None else int(count)


def _serving_copies(sm: Any, name: str) -> int | None:
    reply = components.describe_component(sm, name) or {}
    count = (reply.get("RuntimeConfig") or {}).get("CurrentCopyCount")
    return None if count is None else int(count)


def env_capacity(
    sm: Any, env: str, base: Mapping[str, Any] | None, head: Mapping[str, Any] | None
) -> list[Capacity]:
    rows = []
    for part, kind, unit in (
        ("endpoints", "endpoint", "instances"),
        ("inference_components", "component", "copies"),
    ):
        old, new = (base or {}).get(part, {}), (head or {}).get(part, {})
        for key in sorted(set(old) | set(new)):
            resource = new.get(key) or old[key]
            if resource.get("type") == "serverless":
                continue
            if kind == "endpoint":
                serving = _serving_instances(sm, resource["name"])
                after, why = endpoint_after(old.get(key), new.get(key))
            else:
                serving = _serving_copies(sm, resource["name"])
                after, why = component_after(old.get(key), new.get(key))
            rows.append(Capacity(env, kind, key, resource["name"], unit, serving, after, why))
    return rows


def has_credentials() -> bool:
    return boto3.Session().get_credentials() is not None


def collect(
    base: Mapping[str, Mapping[str, Any]], head: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Capacity], list[str]]:
    """Rows for every env, and notes on envs whose live state could not be read."""
    if not has_credentials():
        return [], ["live capacity skipped: no AWS credentials (set AWS_PROFILE or run in the plan job)"]
    rows: list[Capacity] = []
    notes: list[str] = []
    for env in sorted(set(base) | set(head)):
        rendered = head.get(env) or base[env]
        try:
            sm = Aws(str(rendered["aws"]["region"])).client("sagemaker", max_attempts=3)
            rows += env_capacity(sm, env, base.get(env), head.get(env))
        except (ClientError, BotoCoreError) as exc:  # the review still stands without this part
            notes.append(f"live capacity of {env} unavailable: {exc}")
    return rows, notes


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def markdown_blocks(rows: list[Capacity], notes: list[str]) -> list[str]:
    blocks = []
    drops = [r for r in rows if r.drops]
    if drops:
        lines = ["> [!WARNING]", "> **Capacity drops below what is serving now**"]
        lines += [f"> - **{r.env}** · `{r.name}`: {r.serving} → {r.after} {r.unit} ({r.why})" for r in drops]
        blocks.append("\n".join(lines))
    deployed = [r for r in rows if r.serving is not None]
    if deployed:
        table = ["| env | resource | serving now | after apply | why |", "|---|---|--:|--:|---|"]
        table += [
            f"| {r.env} | `{r.name}` | {r.serving} {r.unit} | "
            f"{'unchanged' if r.after is None else f'{r.after} {r.unit}'} | {r.why} |"
            for r in deployed
        ]
        blocks.append("### Live capacity\n\n" + "\n".join(table))
    elif rows:
        blocks.append("### Live capacity\n\nNothing rendered here is deployed yet.")
    blocks += [f"> [!NOTE]\n> {n}" for n in notes]
    return blocks
