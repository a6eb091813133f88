"""Container and weights rules: catalog versions, GPU fit, region availability, artifacts."""

from __future__ import annotations

from typing import Any

from ..catalog import reader as catalogs
from ..catalog import sagemaker_api as api
from ..catalog.reader import processor_of
from ..spec import confine as paths
from ..spec.facts import HUB_FRAMEWORKS
from ..spec.project import Resolved
from ..suggest import count, did_you_mean
from .context import EnvContext

# Environment variables through which the serving containers learn how many GPUs to shard over.
GPU_COUNT_VARS = ("SM_NUM_GPUS", "OPTION_TENSOR_PARALLEL_DEGREE", "TENSOR_PARALLEL_DEGREE", "NUM_SHARD")
# LMI accepts "max" for its tensor parallel degree: "TENSOR_PARALLEL_DEGREE=max" in its starter
# configurations (djl-serving serving/docs/lmi/user_guides/lmi-dist_user_guide.md).
MAX_ALLOWED = ("OPTION_TENSOR_PARALLEL_DEGREE", "TENSOR_PARALLEL_DEGREE")


def check_model(ctx: EnvContext, model: Resolved) -> None:
    container = model.spec["container"]
    instance_type = ctx.instance_type_of(model)
    processor = processor_of(instance_type)
    if container["framework"] == "image":
        if "image" not in container:
            ctx.reporter.error(
                model,
                ("spec", "container"),
                "E203",
                "framework image needs container.image",
                "give the full image URI, e.g. <account>.dkr.ecr.<region>.amazonaws.com/repo:tag",
            )
    elif "image" not in container:
        _check_catalog_image(ctx, model, container, instance_type, processor)
    _check_gpu_count(ctx, model, instance_type)
    _check_weights(ctx, model)


def _check_catalog_image(
    ctx: EnvContext,
    model: Resolved,
    container: dict[str, Any],
    instance_type: str | None,
    processor: str | None,
) -> None:
    framework, version = container["framework"], container.get("version")
    path = ("spec", "container", "version")
    if version is None:
        ctx.reporter.error(
            model,
            ("spec", "container"),
            "E203",
            f"framework {framework} needs container.version",
            _versions_hint(framework),
        )
        return
    if version not in catalogs.framework_versions(framework):
        ctx.reporter.error(
            model,
            path,
            "E408",
            f"this {framework} version is not in the image catalog",
            did_you_mean(str(version), catalogs.framework_versions(framework), _versions_hint(framework)),
        )
        return
    offered = catalogs.image_processors(framework, version)
    where = instance_type or "a serverless endpoint"
    if processor is None:
        # an unknown type is E401 already; a pool's type is the pool's own W401
        if instance_type not in api.hosting_instance_types():
            return
        if model.spec["deployment"]["type"] in ("realtime", "async"):
            ctx.reporter.warning(
                model,
                ("spec", "deployment", "instance_type"),
                "W401",
                "this instance type's accelerators are not in the instance catalog: "
                "cannot tell whether it has GPUs",
            )
        processor = catalogs.image_processor(framework, version, instance_type)
        if processor is None:  # the render would have to guess between the kinds
            ctx.reporter.error(
                model,
                path,
                "E415",
                f"{framework} {version} has {', '.join(sorted(offered))} images and the instance catalog "
                f"does not know {where}: cannot tell which one runs there",
                "give container.image explicitly, or pick an instance type the catalog knows",
            )
            return
    elif processor not in offered:
        kinds = ", ".join(sorted(offered))
        ctx.reporter.error(
            model,
            path,
            "E407",
            f"{framework} {version} has {kinds} images only, but {where} is a {processor} instance",
            "pick an instance with the right accelerator, or another framework",
        )
        return
    if ctx.region and ctx.region not in catalogs.image_regions(framework, version, processor):
        ctx.reporter.error(
            model,
            path,
            "E409",
            f"{framework} {version} ({processor}) has no image in {ctx.region}",
            "pick another version or region, or give container.image explicitly",
        )


def _versions_hint(framework: str) -> str:
    versions = catalogs.framework_versions(framework)
    shown = ", ".join(versions[-6:]) if versions else "none"
    return f"known {framework} versions (newest): {shown}"


def _check_gpu_count(ctx: EnvContext, model: Resolved, instance_type: str | None) -> None:
    deployment = model.spec["deployment"]
    if deployment["type"] == "inference-component":
        available = deployment["resources"].get("accelerators")
        where = "reserved per copy (resources.accelerators)"
    else:
        info = catalogs.instance(instance_type) if instance_type else None
        available = info.gpus if info is not None else None
        where = "on the instance"
    if available is None:
        return
    for var in GPU_COUNT_VARS:
        raw = model.spec.get("environment", {}).get(var)
        if raw is None or (var in MAX_ALLOWED and str(raw) == "max"):
            continue  # LMI's "max" means every GPU there is
        try:
            wanted = int(str(raw))
        except ValueError:
            ctx.reporter.error(
                model,
                ("spec", "environment", var),
                "E412",
                f"{var} must be a whole number" + (" or max" if var in MAX_ALLOWED else ""),
            )
            continue
        if wanted > available:
            ctx.reporter.error(
                model,
                ("spec", "environment", var),
                "E412",
                f"{var} asks for more GPUs than the {count(available, 'GPU')} {where}",
                "lower the degree or choose a larger instance / more accelerators",
            )


def _check_weights(ctx: EnvContext, model: Resolved) -> None:
    spec, weights = model.spec, model.spec["weights"]
    if spec["deployment"]["type"] == "serverless" and spec.get("network_isolation"):
        ctx.reporter.error(
            model,
            ("spec", "network_isolation"),
            "E411",
            "serverless endpoints do not support network isolation",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html",
        )
    hub = weights.get("huggingface")
    if hub and spec.get("network_isolation") and not hub.get("mirror"):
        ctx.reporter.error(
            model,
            ("spec", "network_isolation"),
            "E411",
            "with network isolation the container cannot download from the Hugging Face Hub",
            "set weights.huggingface.mirror: true (sagespec package copies it to S3) or use s3 weights",
        )
    loads_itself = spec["container"]["framework"] in (*HUB_FRAMEWORKS, "image") or spec.get("code")
    if hub and not loads_itself and not hub.get("mirror"):
        ctx.reporter.error(
            model,
            ("spec", "weights", "huggingface"),
            "E411",
            f"the {spec['container']['framework']} container does not download Hub models by itself",
            "set mirror: true, or load the model in code/inference.py",
        )
    if "s3" in weights and spec.get("code"):
        ctx.reporter.error(
            model,
            ("spec", "code"),
            "E411",
            "code is packaged into model.tar.gz, so it needs local "
            "or huggingface weights, not an existing S3 artifact",
            "put code/ inside the S3 tarball, or use weights.local",
        )
    local = weights.get("local")
    for path, folder in (("weights", local.get("path") if local else None), ("code", spec.get("code"))):
        if folder is None:
            continue
        target = paths.inside(ctx.root, str(folder))  # outside the repo: E704 (rules/artifacts)
        if target is not None and target.exists() and not target.is_dir():
            field = ("spec", "weights", "local", "path") if path == "weights" else ("spec", "code")
            ctx.reporter.error(model, field, "E703", "the path is not a folder")
