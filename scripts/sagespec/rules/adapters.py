"""LoRA adapters: inference components that run on the copies of a base inference component.

SageMaker: an adapter inference component names its base (Specification.BaseInferenceComponentName)
and the adapter's artifact (Specification.Container.ArtifactUrl), uses the base's compute, and has
no model, container or copy count of its own
(https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentSpecification.html,
https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-adapt.html).
The base container must load adapters at runtime: DJL LMI does with `option.enable_lora=true`
(OPTION_ENABLE_LORA; deepjavalibrary/djl-serving serving/docs/lmi/user_guides/vllm_user_guide.md,
"LoRA Adapter Support"; its adapters API answers "LoRA is not enabled." otherwise). TGI, TEI and
the framework containers have no adapters API, so they cannot host adapter components.
"""

from __future__ import annotations

import re
from typing import Any

from ..artifacts import lockfile
from ..spec.project import Resolved
from ..suggest import did_you_mean
from .artifacts import DigestCache, check_references
from .artifacts import check_model as check_artifact
from .context import EnvContext

# keys an adapter cannot have: the base's container, environment and compute serve it
NOT_FOR_ADAPTERS = (
    "container",
    "code",
    "environment",
    "secret_environment",
    "network_isolation",
    "size",
    "budget",
)
SHA256_SEGMENT = re.compile(r"/[0-9a-f]{64}/")
LORA_SWITCH = "OPTION_ENABLE_LORA"


def is_adapter(spec: dict[str, Any]) -> bool:
    return bool(spec.get("deployment", {}).get("type") == "adapter")


def lora_enabled(base: dict[str, Any]) -> bool:
    value = base.get("environment", {}).get(LORA_SWITCH)
    return value is True or str(value).lower() == "true"


def check_adapter(
    ctx: EnvContext,
    adapter: Resolved,
    model_names: set[str],
    lock: dict[str, lockfile.LockEntry],
    cache: DigestCache,
) -> bool:
    """Report every problem; True when the adapter can be rendered."""
    ok = True
    for key in NOT_FOR_ADAPTERS:
        if key in adapter.spec:
            ok = False
            ctx.reporter.error(
                adapter,
                ("spec", key),
                "E206",
                f"an adapter has no {key} of its own: it runs in its base's container and copies",
                f"remove `{key}` (set it on the base model)",
            )
    ok = _check_base(ctx, adapter, model_names) and ok
    ok = _check_artifact(ctx, adapter) and ok
    if ok:
        before = len(ctx.reporter.findings)
        if "local" in adapter.spec["weights"]:
            check_artifact(ctx, adapter, lock, cache)  # the lock, and the URI rules below
        else:  # an S3 adapter's URI goes into the execution role's grant as the models' does
            check_references(ctx, adapter)
        ok = not any(f.severity == "error" for _, f in ctx.reporter.findings[before:])
    return ok


def _check_base(ctx: EnvContext, adapter: Resolved, model_names: set[str]) -> bool:
    name = str(adapter.spec["deployment"]["base"])
    path = ("spec", "deployment", "base")
    base = ctx.resolution.models.get(name)
    if base is None:
        if name in model_names:
            ctx.reporter.error(
                adapter,
                path,
                "E431",  # no env in the text: the finding lists the environments (rules/once.py)
                f"base model {name!r} is not enabled in this environment",
                f"enable {name} there, or disable this adapter there (enabled: false)",
            )
        else:  # the name is the spec's value: not quoted, only a known name may be
            ctx.reporter.error(
                adapter,
                path,
                "E430",
                "no kind Model has this name to attach the adapter to",
                did_you_mean(name, model_names - {adapter.name}, "name the base model's metadata.name"),
            )
        return False
    kind = base.spec["deployment"]["type"]
    if kind != "inference-component":
        ctx.reporter.error(
            adapter,
            path,
            "E431",
            f"base {name!r} is a {kind} deployment: adapters attach to inference components",
            "deploy the base with deployment.type: inference-component",
        )
        return False
    framework = base.spec["container"]["framework"]
    if framework == "image":
        ctx.reporter.warning(
            adapter,
            path,
            "W430",
            f"base {name!r} runs a custom image: sagespec cannot tell whether it loads LoRA adapters",
            "the image must implement the adapters API SageMaker calls (as DJL LMI does)",
        )
    elif framework != "lmi" or not lora_enabled(base.spec):
        need = (
            f"set environment {LORA_SWITCH}: true on {name}"
            if framework == "lmi"
            else "serve the base on LMI (framework: lmi) with OPTION_ENABLE_LORA: true"
        )
        ctx.reporter.error(
            adapter,
            path,
            "E432",
            f"base {name!r} ({framework}) cannot load LoRA adapters"
            + (
                f": {LORA_SWITCH} is not true"
                if framework == "lmi"
                else ": its container has no adapters API"
            ),
            need,
        )
        return False
    return True


def _check_artifact(ctx: EnvContext, adapter: Resolved) -> bool:
    weights = adapter.spec["weights"]
    source = next(iter(weights))
    path = ("spec", "weights", source)
    if source == "huggingface":
        ctx.reporter.error(
            adapter,
            path,
            "E433",
            "adapter weights must be a content-addressed S3 artifact, not a Hub id",
            "download the adapter into a folder and use weights.local: sagespec package uploads it by digest",
        )
        return False
    if weights[source].get("compressed", True) is False:
        ctx.reporter.error(
            adapter,
            (*path, "compressed"),
            "E433",
            "an adapter's ArtifactUrl is one tar.gz archive: compressed: false is not possible",
            "remove `compressed: false`",
        )
        return False
    if source == "s3" and not SHA256_SEGMENT.search(str(weights["s3"]["uri"])):
        ctx.reporter.error(
            adapter,
            (*path, "uri"),
            "E433",
            "adapter artifact is not content-addressed: a changed adapter would keep its URI",
            "use weights.local (sagespec package uploads to models/<name>/<sha256>/model.tar.gz) or put the "
            "archive's sha256 in the key: s3://bucket/adapters/<name>/<sha256>/adapter.tar.gz",
        )
        return False
    return True
