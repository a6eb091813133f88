"""SageMaker models and LoRA adapters of a rendered environment."""

from __future__ import annotations

from ..artifacts import lockfile, s3keys
from ..catalog import reader as catalogs
from ..errors import SagespecError
from ..spec import facts, names
from ..spec.project import Resolved
from .container_env import environment, secret_environment
from .context import RenderContext
from .types import Adapter, Model, ModelData


def render_model(ctx: RenderContext, model: Resolved) -> Model:
    spec = model.spec
    instance_type = facts.instance_type_of(ctx.resolution, model)
    model_data = _model_data(ctx, model)
    if model_data is not None:
        ctx.role.read_artifact(model_data["s3_uri"], model_data["compressed"])
    secrets = secret_environment(spec)
    ctx.role.secrets.update(secrets.values())
    serverless = spec["deployment"]["type"] == "serverless"
    rendered = Model(
        name="",  # set below, from everything else
        image=_image(ctx, model, instance_type),
        model_data=model_data,
        environment=environment(spec, _tgi_gpus(model, instance_type), model_data is not None),
        secret_environment=secrets,
        network_isolation=bool(spec.get("network_isolation", False)),
        vpc=None if serverless else ctx.env_spec.get("vpc"),
        tags=ctx.tags(model),
    )
    # the name changes with everything SageMaker cannot update in place: a new model, then a swap
    content = {k: v for k, v in rendered.items() if k not in ("name", "tags")}
    rendered["name"] = names.hashed_name(
        model.name, ctx.env, {**content, "role": names.execution_role_name(ctx.env)}
    )
    return rendered


def render_adapter(ctx: RenderContext, adapter: Resolved) -> Adapter:
    """A LoRA adapter component: its base, the base's pool, and its content-addressed artifact."""
    base = adapter.spec["deployment"]["base"]
    model_data = _model_data(ctx, adapter)
    assert model_data is not None and model_data["compressed"], "validated: one tar.gz artifact"
    ctx.role.read_artifact(model_data["s3_uri"], True)  # SageMaker fetches it with the endpoint's role
    return Adapter(
        name=names.resource_name(adapter.name, ctx.env),
        base_key=base,
        endpoint_key=ctx.resolution.models[base].spec["deployment"]["endpoint"],
        artifact_url=model_data["s3_uri"],
        tags=ctx.tags(adapter),
    )


def _image(ctx: RenderContext, model: Resolved, instance_type: str | None) -> str:
    container = model.spec["container"]
    if "image" in container:
        uri = str(container["image"])
        ctx.role.pull_image(uri)
        return uri
    framework, version = container["framework"], container["version"]
    # the rules refuse what has no image (E407, E409, E415): reaching here without one is a render
    # called on a repository that was not validated
    processor = catalogs.image_processor(framework, version, instance_type)
    image = catalogs.image(framework, version, ctx.region, processor) if processor else None
    if image is None:
        kind = f"{processor} " if processor else ""
        raise SagespecError(
            f"{model.file}: no {framework} {version} {kind}image for {instance_type or 'serverless'} "
            f"in {ctx.region}",
            "run `sagespec validate` for the details",
        )
    ctx.role.ecr.add(image.repository_arn)
    return image.uri


def _model_data(ctx: RenderContext, model: Resolved) -> ModelData | None:
    weights = model.spec["weights"]
    if facts.needs_artifact(model.spec):
        entry = _artifact(ctx, model)
        key = s3keys.artifact_key(model.name, entry.sha256, entry.compressed)
        return ModelData(s3_uri=f"s3://{ctx.bucket}/{key}", compressed=entry.compressed)
    if "s3" in weights:
        return ModelData(s3_uri=weights["s3"]["uri"], compressed=bool(weights["s3"].get("compressed", True)))
    hub = weights["huggingface"]
    if hub.get("mirror"):
        prefix = s3keys.hf_mirror_prefix(model.name, hub.get("revision"))
        return ModelData(s3_uri=f"s3://{ctx.bucket}/{prefix}", compressed=False)
    return None


def _artifact(ctx: RenderContext, model: Resolved) -> lockfile.LockEntry:
    entry = ctx.lock.get(model.name)
    if entry is not None:
        return entry
    weights, code = facts.local_inputs(ctx.root, model.spec)
    if any(folder is not None and not folder.is_dir() for folder in (weights, code)):
        raise SagespecError(
            f"{model.file}: {model.name} has no entry in {lockfile.LOCK_FILE} and its files are missing",
            f"run `make lock MODEL={model.name}` where the files are, and commit the lock",
        )
    return lockfile.compute_entry(weights, code, facts.artifact_compressed(model.spec))


def _tgi_gpus(model: Resolved, instance_type: str | None) -> int | None:
    """The GPUs TGI shards over: the component's accelerators, else the instance's GPUs."""
    if model.spec["container"]["framework"] != "tgi":
        return None
    deployment = model.spec["deployment"]
    if deployment["type"] == "inference-component":
        accelerators = deployment["resources"].get("accelerators")
        return int(accelerators) if accelerators else None
    info = catalogs.instance(instance_type) if instance_type else None
    return info.gpus if info is not None and info.gpus else None
