"""Render one environment into the Terraform root module's variables (docs/rendered-format.md).

Python decides every default here, so the HCL has none of its own; the output is deterministic
(sorted keys, 2-space indent, final newline) and holds no secret (secrets travel as ARNs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..artifacts import lockfile, s3keys
from ..catalog import reader as catalogs
from ..catalog import sagemaker_api
from ..errors import SagespecError
from ..rules.artifacts import DigestCache
from ..rules.context import has_instance_storage, processor_of
from ..spec import names
from ..spec.facts import local_inputs, needs_artifact
from ..spec.project import Resolution, Resolved

VARIANT = "AllTraffic"
MODEL_DIR = "/opt/ml/model"  # where SageMaker unpacks model data inside the container
HUB_FRAMEWORKS = ("tgi", "lmi", "tei", "huggingface")
DEFAULT_SCALE_IN_S, DEFAULT_SCALE_OUT_S = 300, 60
DEFAULT_ROLLOUT_WAIT_S = 300
DEFAULT_IC_CPUS = 1
CAPTURE_CONTENT_TYPES = ["application/json"]
TRAFFIC_ROUTING = {"all-at-once": "ALL_AT_ONCE", "canary": "CANARY", "linear": "LINEAR"}


def rendered_path(root: Path, env: str) -> Path:
    return root / "envs" / env / "rendered.tfvars.json"


def to_text(rendered: dict[str, Any]) -> str:
    return json.dumps(rendered, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class _Role:
    """Collects exactly what the models of one environment touch, for the execution role."""

    def __init__(self, env: str, region: str) -> None:
        self.env, self.part = env, catalogs.partition(region)
        self.read: set[str] = set()
        self.list: dict[tuple[str, str], None] = {}
        self.write: set[str] = set()
        self.ecr: set[str] = set()
        self.secrets: set[str] = set()
        self.sns: set[str] = set()

    def s3_arn(self, bucket: str, key: str = "") -> str:
        return f"arn:{self.part}:s3:::{bucket}" + (f"/{key}" if key else "")

    def read_artifact(self, uri: str, compressed: bool) -> None:
        bucket, key = s3keys.split_s3_uri(uri)
        if compressed:
            self.read.add(self.s3_arn(bucket, key))
        else:
            prefix = key if key.endswith("/") else key + "/"
            self.read.add(self.s3_arn(bucket, prefix + "*"))
            self.list[(self.s3_arn(bucket), prefix)] = None

    def write_prefix(self, uri: str) -> None:
        bucket, key = s3keys.split_s3_uri(uri)
        self.write.add(self.s3_arn(bucket, key + "*"))

    def render(self, kms_key_arn: str | None, vpc_access: bool) -> dict[str, Any]:
        return {
            "name": names.execution_role_name(self.env),
            "s3_read_object_arns": sorted(self.read),
            "s3_list_prefixes": [{"bucket_arn": b, "prefix": p} for b, p in sorted(self.list)],
            "s3_write_prefix_arns": sorted(self.write),
            "ecr_repository_arns": sorted(self.ecr),
            "secret_arns": sorted(self.secrets),
            "sns_topic_arns": sorted(self.sns),
            "kms_key_arns": [kms_key_arn] if kms_key_arn else [],
            "vpc_access": vpc_access,
        }


class Renderer:
    """The rendered file of one validated environment: a function of its resolved documents, the
    lock file and the repository's local model files (for artifact digests)."""

    def __init__(
        self,
        root: Path,
        resolution: Resolution,
        lock: dict[str, lockfile.LockEntry],
        cache: DigestCache | None = None,
    ) -> None:
        self.root, self.env = root, resolution.env
        self.resolution = resolution
        self.env_spec = self.resolution.environment.spec
        self.region = str(self.env_spec["aws"]["region"])
        self.bucket = str(self.env_spec["artifacts"]["bucket"])
        self.kms = self.env_spec.get("kms_key_arn")
        self.lock = lock
        self.cache = cache or DigestCache()
        self.role = _Role(self.env, self.region)

    # -- top level -------------------------------------------------------------------------------
    def render(self) -> dict[str, Any]:
        models: dict[str, Any] = {}
        endpoints: dict[str, Any] = {}
        components: dict[str, Any] = {}
        for name, pool in sorted(self.resolution.endpoints.items()):
            endpoints[name] = self._pool(pool)
        adapters: dict[str, Any] = {}
        for name, model in sorted(self.resolution.models.items()):
            deployment = model.spec["deployment"]
            if deployment["type"] == "adapter":
                adapters[name] = self._adapter(model)
                continue
            models[name] = self._model(model)
            if deployment["type"] == "inference-component":
                components[name] = self._component(model, models[name])
            else:
                endpoints[name] = self._dedicated(model, models[name])
        vpc = self.env_spec.get("vpc")
        vpc_access = vpc is not None and any(m["vpc"] for m in models.values())
        return {
            "environment": self.env,
            "aws": {"region": self.region, "account_id": str(self.env_spec["aws"]["account_id"])},
            "default_tags": {
                **self.env_spec.get("tags", {}),
                "managed-by": "sagespec",
                "sagespec-env": self.env,
            },
            "kms_key_arn": self.kms,
            "artifact_bucket": {
                "name": self.bucket,
                "create": bool(self.env_spec["artifacts"].get("create", True)),
            },
            "execution_role": self.role.render(self.kms, vpc_access),
            "models": models,
            "endpoints": endpoints,
            "inference_components": components,
            "inference_component_adapters": adapters,
        }

    def _tags(self, doc: Resolved) -> dict[str, str]:
        meta = doc.source.data.get("metadata", {})
        tags = {str(k): str(v) for k, v in meta.get("tags", {}).items()}
        if meta.get("owner"):
            tags["owner"] = str(meta["owner"])
        tags["sagespec-spec"] = doc.name
        return tags

    # -- models ----------------------------------------------------------------------------------
    def _model(self, model: Resolved) -> dict[str, Any]:
        spec = model.spec
        instance_type = self._instance_type(model)
        model_data = self._model_data(model)
        if model_data is not None:
            self.role.read_artifact(model_data["s3_uri"], model_data["compressed"])
        secrets = self._secret_environment(spec)
        self.role.secrets.update(secrets.values())
        serverless = spec["deployment"]["type"] == "serverless"
        body = {
            "image": self._image(model, instance_type),
            "model_data": model_data,
            "environment": self._environment(model, instance_type, model_data),
            "secret_environment": secrets,
            "network_isolation": bool(spec.get("network_isolation", False)),
            "vpc": None if serverless else self.env_spec.get("vpc"),
        }
        name = names.hashed_name(model.name, self.env, {**body, "role": names.execution_role_name(self.env)})
        return {"name": name, **body, "tags": self._tags(model)}

    def _instance_type(self, model: Resolved) -> str | None:
        deployment = model.spec["deployment"]
        if deployment["type"] in ("realtime", "async"):
            return str(deployment["instance_type"])
        if deployment["type"] == "inference-component":
            return str(self.resolution.endpoints[deployment["endpoint"]].spec["instance_type"])
        return None

    def _image(self, model: Resolved, instance_type: str | None) -> str:
        container = model.spec["container"]
        if "image" in container:
            uri = str(container["image"])
            arn = _ecr_repository_arn(uri)
            if arn:
                self.role.ecr.add(arn)
            return uri
        processor = processor_of(instance_type) or "cpu"
        image = catalogs.image(container["framework"], container["version"], self.region, processor)
        if image is None:
            raise SagespecError(
                f"{model.file}: no {container['framework']} {container['version']} {processor} image "
                f"in {self.region}",
                "run `sagespec validate` for the details",
            )
        self.role.ecr.add(image.repository_arn)
        return image.uri

    def _model_data(self, model: Resolved) -> dict[str, Any] | None:
        weights = model.spec["weights"]
        if needs_artifact(model.spec):
            entry = self._artifact(model)
            key = s3keys.artifact_key(model.name, entry.sha256, entry.compressed)
            return {"s3_uri": f"s3://{self.bucket}/{key}", "compressed": entry.compressed}
        if "s3" in weights:
            return {"s3_uri": weights["s3"]["uri"], "compressed": bool(weights["s3"].get("compressed", True))}
        hub = weights["huggingface"]
        if hub.get("mirror"):
            prefix = s3keys.hf_mirror_prefix(model.name, hub.get("revision"))
            return {"s3_uri": f"s3://{self.bucket}/{prefix}", "compressed": False}
        return None

    def _artifact(self, model: Resolved) -> lockfile.LockEntry:
        entry = self.lock.get(model.name)
        if entry is not None:
            return entry
        weights, code = local_inputs(self.root, model.spec)
        if any(folder is not None and not folder.is_dir() for folder in (weights, code)):
            raise SagespecError(
                f"{model.file}: {model.name} has no entry in {lockfile.LOCK_FILE} and its files are missing",
                f"run `make lock MODEL={model.name}` where the files are, and commit the lock",
            )
        local = model.spec["weights"].get("local") or {}
        return lockfile.compute_entry(weights, code, bool(local.get("compressed", True)))

    def _secret_environment(self, spec: dict[str, Any]) -> dict[str, str]:
        secrets = {str(k): str(v) for k, v in spec.get("secret_environment", {}).items()}
        hub = spec["weights"].get("huggingface", {})
        token = hub.get("token_secret")
        if token and not hub.get("mirror"):  # mirrored weights come from S3: no token at runtime
            # TGI and recent hub clients read HF_TOKEN; older containers HUGGING_FACE_HUB_TOKEN.
            secrets.setdefault("HF_TOKEN", token)
            secrets.setdefault("HUGGING_FACE_HUB_TOKEN", token)
        return dict(sorted(secrets.items()))

    def _environment(
        self, model: Resolved, instance_type: str | None, model_data: dict[str, Any] | None
    ) -> dict[str, str]:
        spec = model.spec
        framework = spec["container"]["framework"]
        hub = spec["weights"].get("huggingface")
        env: dict[str, str] = {}
        if framework in HUB_FRAMEWORKS:
            if model_data is not None and not spec.get("code"):
                env["HF_MODEL_ID"] = MODEL_DIR  # weights come from S3, unpacked into the model dir
            elif hub:
                env["HF_MODEL_ID"] = hub["model_id"]
                if hub.get("revision"):
                    env["HF_MODEL_REVISION"] = hub["revision"]
        if framework == "tgi":
            gpus = self._gpus_for(model, instance_type)
            if gpus:
                env["SM_NUM_GPUS"] = str(gpus)
        if spec.get("code") and framework in ("pytorch", "huggingface"):
            env["SAGEMAKER_PROGRAM"] = "inference.py"
            env["SAGEMAKER_SUBMIT_DIRECTORY"] = f"{MODEL_DIR}/code"
        for key, value in spec.get("environment", {}).items():
            env[str(key)] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return dict(sorted(env.items()))

    def _gpus_for(self, model: Resolved, instance_type: str | None) -> int | None:
        deployment = model.spec["deployment"]
        if deployment["type"] == "inference-component":
            accelerators = deployment["resources"].get("accelerators")
            return int(accelerators) if accelerators else None
        info = catalogs.instance(instance_type) if instance_type else None
        return info.gpus if info is not None and info.gpus else None

    # -- endpoints -------------------------------------------------------------------------------
    def _endpoint_base(self, name: str, kind: str) -> dict[str, Any]:
        return {
            "name": names.resource_name(name, self.env),
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
        }

    def _finish_endpoint(
        self, name: str, endpoint: dict[str, Any], doc: Resolved, model_name: str | None
    ) -> dict[str, Any]:
        if endpoint["instance_type"] is not None:
            if has_instance_storage(endpoint["instance_type"]):
                endpoint["volume_size_gb"] = None  # the NVMe disks are the volume (warned as W407)
            else:
                endpoint["volume_kms_key_arn"] = self.kms
        config = {k: v for k, v in endpoint.items() if k not in ("name", "autoscaling", "rollout")}
        content = {
            **config,
            "model": model_name,
            "kms": self.kms,
            "role": names.execution_role_name(self.env),
        }
        endpoint["config_name"] = names.hashed_name(name, self.env, content)
        endpoint["tags"] = self._tags(doc)
        return endpoint

    def _pool(self, pool: Resolved) -> dict[str, Any]:
        spec = pool.spec
        endpoint = self._endpoint_base(pool.name, "pool")
        scaling = spec.get("managed_scaling")
        routing = spec.get("routing")
        endpoint.update(
            {
                "instance_type": spec["instance_type"],
                "initial_instance_count": spec.get("instance_count", 1),
                "volume_size_gb": spec.get("volume_size_gb"),
                "routing_strategy": sagemaker_api.routing_strategies()[routing] if routing else None,
                "managed_instance_scaling": {
                    "min_instances": scaling["min_instances"],
                    "max_instances": scaling["max_instances"],
                }
                if scaling
                else None,
            }
        )
        return self._finish_endpoint(pool.name, endpoint, pool, None)

    def _dedicated(self, model: Resolved, rendered_model: dict[str, Any]) -> dict[str, Any]:
        deployment = model.spec["deployment"]
        kind = deployment["type"]
        endpoint = self._endpoint_base(model.name, kind)
        endpoint["model_key"] = model.name
        endpoint_name = endpoint["name"]
        if kind == "serverless":
            endpoint["serverless"] = {
                "memory_mb": deployment["memory_mb"],
                "max_concurrency": deployment["max_concurrency"],
                "provisioned_concurrency": deployment.get("provisioned_concurrency"),
            }
        else:
            startup = deployment.get("startup", {})
            endpoint.update(
                {
                    "instance_type": deployment["instance_type"],
                    "initial_instance_count": deployment.get("instance_count", 1),
                    "volume_size_gb": deployment.get("volume_size_gb"),
                    "model_data_download_timeout_s": startup.get("model_download_timeout_s"),
                    "container_startup_health_check_timeout_s": startup.get("health_check_timeout_s"),
                    "rollout": _rollout(deployment.get("rollout")),
                }
            )
            capture = deployment.get("data_capture")
            if capture:
                uri = f"s3://{self.bucket}/data-capture/{endpoint_name}/"
                self.role.write_prefix(uri)
                endpoint["data_capture"] = {
                    "sampling_percent": capture["sampling_percent"],
                    "destination_s3_uri": uri,
                    "capture_content_types": capture.get("content_types", CAPTURE_CONTENT_TYPES),
                }
        if kind == "async":
            endpoint["async"] = self._async(endpoint_name, deployment)
        endpoint["autoscaling"] = _autoscaling(kind, deployment.get("autoscaling"))
        return self._finish_endpoint(model.name, endpoint, model, rendered_model["name"])

    def _async(self, endpoint_name: str, deployment: dict[str, Any]) -> dict[str, Any]:
        base = f"s3://{self.bucket}/async/{endpoint_name}/"
        # SageMaker writes results and errors only; a grant on the whole base would let the role
        # overwrite the requests callers upload under input/.
        self.role.write_prefix(base + "output/")
        self.role.write_prefix(base + "failure/")
        # Callers upload requests under input/; SageMaker reads them with the execution role.
        self.role.read.add(self.role.s3_arn(self.bucket, f"async/{endpoint_name}/input/*"))
        notes = deployment.get("notifications", {})
        topics = [notes.get("success_topic"), notes.get("error_topic")]
        self.role.sns.update(t for t in topics if t)
        return {
            "output_s3_uri": base + "output/",
            "failure_s3_uri": base + "failure/",
            "success_topic_arn": topics[0],
            "error_topic_arn": topics[1],
            "max_concurrent_invocations_per_instance": deployment.get(
                "max_concurrent_invocations_per_instance"
            ),
        }

    def _component(self, model: Resolved, rendered_model: dict[str, Any]) -> dict[str, Any]:
        deployment = model.spec["deployment"]
        resources, startup = deployment["resources"], deployment.get("startup", {})
        return {
            "name": names.resource_name(model.name, self.env),
            "endpoint_key": deployment["endpoint"],
            "model_key": model.name,
            "variant_name": VARIANT,
            "copies": deployment.get("copies", 1),
            "accelerators": resources.get("accelerators") or None,
            "cpus": resources.get("cpus", DEFAULT_IC_CPUS),
            "memory_mb": resources["memory_mb"],
            "model_data_download_timeout_s": startup.get("model_download_timeout_s"),
            "container_startup_health_check_timeout_s": startup.get("health_check_timeout_s"),
            "autoscaling": _autoscaling("inference-component", deployment.get("autoscaling")),
            "tags": self._tags(model),
        }

    def _adapter(self, adapter: Resolved) -> dict[str, Any]:
        """A LoRA adapter component: its base, the base's pool, and its content-addressed artifact."""
        base = adapter.spec["deployment"]["base"]
        model_data = self._model_data(adapter)
        assert model_data is not None and model_data["compressed"], "validated: one tar.gz artifact"
        self.role.read_artifact(model_data["s3_uri"], True)  # SageMaker fetches it with the endpoint's role
        return {
            "name": names.resource_name(adapter.name, self.env),
            "base_key": base,
            "endpoint_key": self.resolution.models[base].spec["deployment"]["endpoint"],
            "artifact_url": model_data["s3_uri"],
            "tags": self._tags(adapter),
        }


# (scalable dimension, min key, max key, target key, predefined metric, custom metric)
_SCALING = {
    "realtime": (
        "sagemaker:variant:DesiredInstanceCount",
        "min_instances",
        "max_instances",
        "target_invocations_per_instance",
        "SageMakerVariantInvocationsPerInstance",
        None,
    ),
    "async": (
        "sagemaker:variant:DesiredInstanceCount",
        "min_instances",
        "max_instances",
        "target_backlog_per_instance",
        None,
        "ApproximateBacklogSizePerInstance",
    ),
    "serverless": (
        "sagemaker:variant:DesiredProvisionedConcurrency",
        "min_provisioned_concurrency",
        "max_provisioned_concurrency",
        "target_utilization",
        "SageMakerVariantProvisionedConcurrencyUtilization",
        None,
    ),
    "inference-component": (
        "sagemaker:inference-component:DesiredCopyCount",
        "min_copies",
        "max_copies",
        "target_invocations_per_copy",
        "SageMakerInferenceComponentInvocationsPerCopy",
        None,
    ),
}


def _autoscaling(kind: str, scaling: dict[str, Any] | None) -> dict[str, Any] | None:
    if not scaling:
        return None
    dimension, low, high, target, predefined, custom = _SCALING[kind]
    return {
        "scalable_dimension": dimension,
        "min_capacity": scaling[low],
        "max_capacity": scaling[high],
        "target_value": scaling[target],
        "predefined_metric": predefined,
        "custom_metric_name": custom,
        "scale_in_cooldown_s": scaling.get("scale_in_cooldown_s", DEFAULT_SCALE_IN_S),
        "scale_out_cooldown_s": scaling.get("scale_out_cooldown_s", DEFAULT_SCALE_OUT_S),
        # From 0, target tracking has no traffic metric to act on: a step policy on an alarm must
        # add the first instance (async) or copy (inference components), see docs/rendered-format.md.
        "scale_from_zero": kind in ("async", "inference-component") and scaling[low] == 0,
    }


def _rollout(rollout: dict[str, Any] | None) -> dict[str, Any] | None:
    # allow_downtime alone is a review-time permission (docs/updates.md): no deployment_config
    if not rollout or "strategy" not in rollout:
        return None
    return {
        "traffic_routing": TRAFFIC_ROUTING[rollout["strategy"]],
        "step_percent": rollout.get("canary_percent", rollout.get("linear_step_percent")),
        "wait_s": rollout.get("wait_s", DEFAULT_ROLLOUT_WAIT_S),
        "termination_wait_s": rollout.get("termination_wait_s", 0),
        "max_execution_timeout_s": rollout.get("max_execution_timeout_s"),
        "rollback_alarms": list(rollout.get("rollback_alarms", [])),
    }


def _ecr_repository_arn(uri: str) -> str | None:
    """<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repo>[:tag|@digest] -> repository ARN."""
    host, _, path = uri.partition("/")
    parts = host.split(".")
    if len(parts) < 6 or parts[1:3] != ["dkr", "ecr"] or not path:
        return None
    account, region = parts[0], parts[3]
    repository = path.split("@")[0]
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]
    return f"arn:{catalogs.partition(region)}:ecr:{region}:{account}:repository/{repository}"


def render_env(
    root: Path,
    resolution: Resolution,
    lock: dict[str, lockfile.LockEntry],
    cache: DigestCache | None = None,
) -> dict[str, Any]:
    return Renderer(root, resolution, lock, cache).render()
