"""A model container's environment variables: what the framework needs, then the spec's own.

Secrets never appear here as values: `secret_environment` maps names to Secrets Manager ARNs.
"""

from __future__ import annotations

from typing import Any

from ..spec.facts import HUB_FRAMEWORKS

MODEL_DIR = "/opt/ml/model"  # where SageMaker unpacks model data inside the container


def environment(spec: dict[str, Any], gpus: int | None, has_model_data: bool) -> dict[str, str]:
    """gpus: the GPUs TGI should shard over (None: leave it to the container)."""
    framework = spec["container"]["framework"]
    hub = spec["weights"].get("huggingface")
    env: dict[str, str] = {}
    if framework in HUB_FRAMEWORKS:
        if has_model_data and not spec.get("code"):
            env["HF_MODEL_ID"] = MODEL_DIR  # weights come from S3, unpacked into the model dir
        elif hub:
            env["HF_MODEL_ID"] = hub["model_id"]
            if hub.get("revision"):
                env["HF_MODEL_REVISION"] = hub["revision"]
    if framework == "tgi" and gpus:
        env["SM_NUM_GPUS"] = str(gpus)
    if spec.get("code") and framework in ("pytorch", "huggingface"):
        env["SAGEMAKER_PROGRAM"] = "inference.py"
        env["SAGEMAKER_SUBMIT_DIRECTORY"] = f"{MODEL_DIR}/code"
    for key, value in spec.get("environment", {}).items():
        env[str(key)] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return dict(sorted(env.items()))


def secret_environment(spec: dict[str, Any]) -> dict[str, str]:
    """Variable name -> Secrets Manager ARN, the Hub token included unless the weights are mirrored."""
    secrets = {str(k): str(v) for k, v in spec.get("secret_environment", {}).items()}
    hub = spec["weights"].get("huggingface", {})
    token = hub.get("token_secret")
    if token and not hub.get("mirror"):  # mirrored weights come from S3: no token at runtime
        # TGI and recent hub clients read HF_TOKEN; older containers HUGGING_FACE_HUB_TOKEN.
        secrets.setdefault("HF_TOKEN", token)
        secrets.setdefault("HUGGING_FACE_HUB_TOKEN", token)
    return dict(sorted(secrets.items()))
