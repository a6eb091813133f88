"""ApplyResourceChange without AWS: the planned state with every unknown filled deterministically.

ARNs are built from names the way AWS builds them, ids are the names Terraform and the real provider
use, timestamps are one fixed instant, anything else is the zero value of its type (or a stable
token derived from the resource's identity), so the same configuration always applies to the same
state and a second plan shows no changes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .ctyvalue import UNKNOWN, type_zero
from .planning import ProviderConfig
from .schema import Attribute, Block

FIXED_TIME = "2026-01-01T00:00:00Z"
DEFAULT_ACCOUNT = "123456789012"

# resource type -> (service, resource part of the ARN with {name}); https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
_ARN_FORMS = {
    "aws_sagemaker_model": ("sagemaker", "model/{name}"),
    "aws_sagemaker_endpoint_configuration": ("sagemaker", "endpoint-config/{name}"),
    "aws_sagemaker_endpoint": ("sagemaker", "endpoint/{name}"),
    "awscc_sagemaker_inference_component": ("sagemaker", "inference-component/{name}"),
    "aws_iam_role": ("iam", "role/{name}"),
    "aws_cloudwatch_metric_alarm": ("cloudwatch", "alarm:{name}"),
    "aws_s3_bucket": ("s3", "{name}"),
    "aws_appautoscaling_target": ("application-autoscaling", "scalable-target/{hash}"),
    "aws_appautoscaling_policy": (
        "autoscaling",
        "scalingPolicy:{hash}:resource/{resource_id}:policyName/{name}",
    ),
}
_GLOBAL_SERVICES = {"iam", "s3"}
_NAME_KEYS = ("name", "inference_component_name", "alarm_name", "bucket", "role", "resource_id", "secret_id")


def partition_of(region: str | None) -> str:
    region = region or ""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _name(state: dict[str, Any]) -> str:
    for key in _NAME_KEYS:
        value = state.get(key)
        if isinstance(value, str) and value:
            return value
    return "standin"


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:16]


def arn_for(type_name: str, state: dict[str, Any], provider: ProviderConfig) -> str:
    service, form = _ARN_FORMS.get(type_name, (type_name.split("_")[1], type_name + "/{name}"))
    name = _name(state)
    resource = form.format(
        name=name, hash=_short_hash(type_name, name), resource_id=str(state.get("resource_id") or name)
    )
    region = state.get("region") or provider.region or ""
    region = "" if service in _GLOBAL_SERVICES else region
    account = "" if service == "s3" else (provider.account_id or DEFAULT_ACCOUNT)
    return f"arn:{partition_of(provider.region)}:{service}:{region}:{account}:{resource}"


def _id(type_name: str, state: dict[str, Any], provider: ProviderConfig) -> str:
    if type_name == "aws_iam_role_policy":
        return f"{state.get('role')}:{state.get('name')}"
    if type_name in ("awscc_sagemaker_inference_component",):
        return arn_for(type_name, state, provider)
    return _name(state)


def _fill_value(cty_type: Any, attr_name: str, seed: str) -> Any:
    if cty_type == "string":
        if attr_name.endswith(("_time", "_date")) or attr_name in ("create_date", "creation_time"):
            return FIXED_TIME
        return f"standin-{_short_hash(seed, attr_name)}"
    return type_zero(cty_type)


def _fill_attr(attr: Attribute, value: Any, seed: str) -> Any:
    if attr.nested is not None:
        if value is UNKNOWN:
            if attr.nesting == "single":
                return fill(
                    attr.nested,
                    {n: UNKNOWN if a.computed else None for n, a in attr.nested.attributes.items()},
                    seed,
                )
            return {} if attr.nesting == "map" else []
        if isinstance(value, dict) and attr.nesting == "single":
            return fill(attr.nested, value, seed)
        if isinstance(value, dict):
            return {k: fill(attr.nested, v, seed) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(attr.nested, v, seed) for v in value]
        return value
    if value is UNKNOWN:
        return _fill_value(attr.type, attr.name, seed)
    return value


def fill(block: Block, value: Any, seed: str) -> Any:
    """Every unknown under `value` replaced (nested blocks and nested attributes included)."""
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for name, item in value.items():
        attr = block.attributes.get(name)
        nested = block.blocks.get(name)
        if attr is not None:
            out[name] = _fill_attr(attr, item, seed)
        elif nested is not None and isinstance(item, list):
            out[name] = [fill(nested.block, v, seed) for v in item]
        elif nested is not None and isinstance(item, dict) and nested.nesting != "map":
            out[name] = fill(nested.block, item, seed)
        elif nested is not None and isinstance(item, dict):
            out[name] = {k: fill(nested.block, v, seed) for k, v in item.items()}
        else:
            out[name] = item
    return out


def apply(type_name: str, block: Block, planned: Any, provider: ProviderConfig) -> Any:
    if planned is None:
        return None  # destroyed
    state = dict(planned)
    for key in ("name", "alarm_name", "inference_component_name"):
        if state.get(key) is UNKNOWN:  # name_prefix / generated names
            state[key] = f"terraform-{_short_hash(type_name, repr(sorted(planned)))}"
    for key in [k for k in block.attributes if k == "arn" or k.endswith("_arn")]:
        attr = block.attributes[key]
        if state.get(key) is UNKNOWN and attr.type == "string" and not attr.optional:
            state[key] = arn_for(type_name, state, provider)
    if state.get("id") is UNKNOWN:
        state["id"] = _id(type_name, state, provider)
    return fill(block, state, seed=f"{type_name}/{_name(state)}")
