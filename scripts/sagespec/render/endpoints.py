"""Endpoints (dedicated and pools) and inference components of a rendered environment.

Every endpoint carries every attribute (null where it does not apply), because the root module's
types have no optional attributes (terraform/variables.tf).
"""

from __future__ import annotations

from typing import Any

from ..catalog import sagemaker_api
from ..catalog.reader import has_instance_storage
from ..spec import facts, names
from ..spec.project import Resolved
from .context import RenderContext
from .scaling import autoscaling, rollout
from .types import Async, DataCapture, Endpoint, InferenceComponent, ManagedInstanceScaling, Serverless

VARIANT = "AllTraffic"
DEFAULT_IC_CPUS = 1
CAPTURE_CONTENT_TYPES = ["application/json"]
# Not part of the endpoint config: changing them must not create a new config (and replace it).
_NOT_CONFIG = ("name", "config_name", "autoscaling", "rollout", "tags")


def render_pool(ctx: RenderContext, pool: Resolved) -> Endpoint:
    spec = pool.spec
    endpoint = _blank(ctx, pool, "pool")
    scaling, routing = spec.get("managed_scaling"), spec.get("routing")
    endpoint["instance_type"] = spec["instance_type"]
    endpoint["initial_instance_count"] = spec.get("instance_count", 1)
    endpoint["volume_size_gb"] = spec.get("volume_size_gb")
    endpoint["routing_strategy"] = sagemaker_api.routing_strategies()[routing] if routing else None
    if scaling:
        endpoint["managed_instance_scaling"] = ManagedInstanceScaling(
            min_instances=scaling["min_instances"], max_instances=scaling["max_instances"]
        )
    return _finish(ctx, pool.name, endpoint, None)


def render_dedicated(ctx: RenderContext, model: Resolved, model_name: str) -> Endpoint:
    """The endpoint of a realtime, serverless or async model (model_name: its rendered model's)."""
    deployment = model.spec["deployment"]
    kind = deployment["type"]
    endpoint = _blank(ctx, model, kind)
    endpoint["model_key"] = model.name
    if kind == "serverless":
        endpoint["serverless"] = Serverless(
            memory_mb=deployment["memory_mb"],
            max_concurrency=deployment["max_concurrency"],
            provisioned_concurrency=deployment.get("provisioned_concurrency"),
        )
    else:
        startup = deployment.get("startup", {})
        endpoint["instance_type"] = deployment["instance_type"]
        endpoint["initial_instance_count"] = deployment.get("instance_count", 1)
        endpoint["volume_size_gb"] = deployment.get("volume_size_gb")
        endpoint["model_data_download_timeout_s"] = startup.get("model_download_timeout_s")
        endpoint["container_startup_health_check_timeout_s"] = startup.get("health_check_timeout_s")
        endpoint["rollout"] = rollout(deployment.get("rollout"))
        endpoint["data_capture"] = _data_capture(ctx, endpoint["name"], deployment.get("data_capture"))
    if kind == "async":
        endpoint["async"] = _async(ctx, endpoint["name"], deployment)
    endpoint["autoscaling"] = autoscaling(kind, deployment.get("autoscaling"))
    return _finish(ctx, model.name, endpoint, model_name)


def render_component(ctx: RenderContext, model: Resolved) -> InferenceComponent:
    deployment = model.spec["deployment"]
    resources, startup = deployment["resources"], deployment.get("startup", {})
    return InferenceComponent(
        name=names.resource_name(model.name, ctx.env),
        endpoint_key=deployment["endpoint"],
        model_key=model.name,
        variant_name=VARIANT,
        copies=deployment.get("copies", 1),
        accelerators=resources.get("accelerators") or None,
        cpus=resources.get("cpus", DEFAULT_IC_CPUS),
        memory_mb=resources["memory_mb"],
        model_data_download_timeout_s=startup.get("model_download_timeout_s"),
        container_startup_health_check_timeout_s=startup.get("health_check_timeout_s"),
        autoscaling=autoscaling("inference-component", deployment.get("autoscaling")),
        tags=ctx.tags(model),
    )


def _blank(ctx: RenderContext, doc: Resolved, kind: str) -> Endpoint:
    return {
        "name": names.resource_name(doc.name, ctx.env),
        "config_name": "",  # set by _finish, from everything else
        "type": kind,
        "model_key": None,
        "variant_name": VARIANT,
        "instance_type": None,
        "initial_instance_count": None,
        "volume_size_gb": None,
        "volume_kms_key_arn": None,
        "model_data_download_timeout_s": None,
        "container_startup_health_check_timeout_s": None,
        "routing_strategy": None,
        "managed_instance_scaling": None,
        "serverless": None,
        "async": None,
        "data_capture": None,
        "autoscaling": None,
        "rollout": None,
        "tags": ctx.tags(doc),
    }


def _finish(ctx: RenderContext, name: str, endpoint: Endpoint, model_name: str | None) -> Endpoint:
    """Volume settings the instance decides, then the content-hashed endpoint config name."""
    instance_type = endpoint["instance_type"]
    if instance_type is not None:
        if has_instance_storage(instance_type):
            endpoint["volume_size_gb"] = None  # the NVMe disks are the volume (warned as W407)
        else:
            endpoint["volume_kms_key_arn"] = ctx.kms
    config = {k: v for k, v in endpoint.items() if k not in _NOT_CONFIG}
    content = {**config, "model": model_name, "kms": ctx.kms, "role": names.execution_role_name(ctx.env)}
    endpoint["config_name"] = names.hashed_name(name, ctx.env, content)
    return endpoint


def _data_capture(
    ctx: RenderContext, endpoint_name: str, capture: dict[str, Any] | None
) -> DataCapture | None:
    if not capture:
        return None
    uri = f"s3://{ctx.bucket}/data-capture/{endpoint_name}/"
    ctx.role.write_prefix(uri)
    return DataCapture(
        sampling_percent=capture["sampling_percent"],
        destination_s3_uri=uri,
        capture_content_types=capture.get("content_types", CAPTURE_CONTENT_TYPES),
    )


def _async(ctx: RenderContext, endpoint_name: str, deployment: dict[str, Any]) -> Async:
    output, failure = (facts.async_prefix(ctx.bucket, endpoint_name, p) for p in ("output", "failure"))
    # SageMaker writes results and errors only; a grant on the whole async/<endpoint>/ prefix
    # would let the role overwrite the requests callers upload under input/.
    ctx.role.write_prefix(output)
    ctx.role.write_prefix(failure)
    # Callers upload requests under input/; SageMaker reads them with the execution role.
    ctx.role.read_prefix(facts.async_prefix(ctx.bucket, endpoint_name, "input"))
    notes = deployment.get("notifications", {})
    success, error = notes.get("success_topic"), notes.get("error_topic")
    ctx.role.sns.update(t for t in (success, error) if t)
    return Async(
        output_s3_uri=output,
        failure_s3_uri=failure,
        success_topic_arn=success,
        error_topic_arn=error,
        max_concurrent_invocations_per_instance=deployment.get("max_concurrent_invocations_per_instance"),
    )
