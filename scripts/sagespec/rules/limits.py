"""SageMaker API limits on spec fields, each read from the botocore shape that carries it."""

from __future__ import annotations

from typing import Any

from ..catalog import reader as catalogs
from ..catalog import sagemaker_api as api
from ..catalog.reader import has_instance_storage
from ..spec.keypath import KeyPath
from ..spec.project import Resolved
from ..suggest import did_you_mean
from .report import Reporter

# spec field (under spec) -> botocore shape that bounds it. The API is the source of the numbers.
MODEL_FIELDS: dict[KeyPath, str] = {
    ("deployment", "volume_size_gb"): "ProductionVariantVolumeSizeInGB",
    (
        "deployment",
        "startup",
        "model_download_timeout_s",
    ): "ProductionVariantModelDataDownloadTimeoutInSeconds",
    (
        "deployment",
        "startup",
        "health_check_timeout_s",
    ): "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds",
    ("deployment", "memory_mb"): "ServerlessMemorySizeInMB",
    ("deployment", "max_concurrency"): "ServerlessMaxConcurrency",
    ("deployment", "provisioned_concurrency"): "ServerlessProvisionedConcurrency",
    ("deployment", "instance_count"): "InitialTaskCount",
    ("deployment", "max_concurrent_invocations_per_instance"): "MaxConcurrentInvocationsPerInstance",
    ("deployment", "data_capture", "sampling_percent"): "SamplingPercentage",
    ("deployment", "copies"): "InferenceComponentCopyCount",
    ("deployment", "resources", "accelerators"): "NumberOfAcceleratorDevices",
    ("deployment", "resources", "cpus"): "NumberOfCpuCores",
    ("deployment", "resources", "memory_mb"): "MemoryInMb",
    ("deployment", "rollout", "wait_s"): "WaitIntervalInSeconds",
    ("deployment", "rollout", "termination_wait_s"): "TerminationWaitInSeconds",
    ("deployment", "rollout", "max_execution_timeout_s"): "MaximumExecutionTimeoutInSeconds",
    ("deployment", "rollout", "canary_percent"): "CapacitySizeValue",
    ("deployment", "rollout", "linear_step_percent"): "CapacitySizeValue",
    ("container", "image"): "ContainerImage",
}
ENDPOINT_FIELDS: dict[KeyPath, str] = {
    ("volume_size_gb",): "ProductionVariantVolumeSizeInGB",
    ("instance_count",): "InitialTaskCount",
    ("managed_scaling", "min_instances"): "ManagedInstanceScalingMinInstanceCount",
    ("managed_scaling", "max_instances"): "ManagedInstanceScalingMaxInstanceCount",
}
SERVERLESS_STEP_MB = 1024  # docs: "1024 MB, 2048 MB, 3072 MB, 4096 MB, 5120 MB, or 6144 MB"
# https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-create-config.html


def _tree(table: dict[KeyPath, str]) -> dict[str, Any]:
    """{("a", "b"): shape} -> {"a": {"b": shape}}: walking the spec then visits only what is set."""
    tree: dict[str, Any] = {}
    for path, shape in table.items():
        node = tree
        for part in path[:-1]:
            node = node.setdefault(str(part), {})
        node[str(path[-1])] = shape
    return tree


_TREES = {id(MODEL_FIELDS): _tree(MODEL_FIELDS), id(ENDPOINT_FIELDS): _tree(ENDPOINT_FIELDS)}


def check_fields(reporter: Reporter, doc: Resolved, table: dict[KeyPath, str]) -> None:
    _check_tree(reporter, doc, doc.spec, _TREES[id(table)], ("spec",))


def _check_tree(
    reporter: Reporter, doc: Resolved, spec: dict[str, Any], tree: dict[str, Any], at: KeyPath
) -> None:
    for key, value in spec.items():
        rule = tree.get(key)
        if rule is None or value is None:
            continue
        if isinstance(rule, dict):
            if isinstance(value, dict):
                _check_tree(reporter, doc, value, rule, (*at, key))
            continue
        problem = api.limit(rule).problem(value)
        if problem:
            reporter.error(doc, (*at, key), "E413", problem)


def check_instance_type(reporter: Reporter, doc: Resolved, path: KeyPath, instance_type: str) -> bool:
    known = api.hosting_instance_types()
    if instance_type in known:
        return True
    hint = (
        did_you_mean(instance_type, sorted(known), cutoff=0.8)
        or "see ProductionVariantInstanceType in the SageMaker API"
    )
    reporter.error(doc, ("spec", *path), "E401", "not a SageMaker hosting instance type", hint)
    return False


def check_environment_vars(reporter: Reporter, doc: Resolved) -> None:
    key_limit, value_limit = api.limit("EnvironmentKey"), api.limit("EnvironmentValue")
    for key, value in doc.spec.get("environment", {}).items():
        problem = key_limit.problem(key) or value_limit.problem(_env_text(value))
        if problem:
            reporter.error(doc, ("spec", "environment", key), "E413", problem)


def _env_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_model_deployment(reporter: Reporter, doc: Resolved) -> None:
    check_fields(reporter, doc, MODEL_FIELDS)
    check_environment_vars(reporter, doc)
    deployment = doc.spec["deployment"]
    kind = deployment["type"]
    instance_ok = kind in ("realtime", "async") and check_instance_type(
        reporter, doc, ("deployment", "instance_type"), deployment["instance_type"]
    )
    if instance_ok:
        _check_volume(reporter, doc, ("deployment", "volume_size_gb"), deployment)
    if kind == "serverless":
        _check_serverless(reporter, doc, deployment)
    _check_autoscaling(reporter, doc, deployment)
    _check_rollout(reporter, doc, deployment.get("rollout"))


def _check_volume(reporter: Reporter, doc: Resolved, path: KeyPath, spec: dict[str, Any]) -> None:
    size, instance_type = spec.get("volume_size_gb"), spec["instance_type"]
    if size is None or not has_instance_storage(instance_type):
        return
    storage = catalogs.instance(instance_type).local_storage_gb  # type: ignore[union-attr]
    reporter.warning(
        doc,
        ("spec", *path),
        "W407",
        f"{instance_type} has {storage} GB of NVMe instance storage, which SageMaker uses instead of an "
        "EBS volume: volume_size_gb is left out of the endpoint config",
        "remove volume_size_gb, or pick an instance without instance storage for a sized EBS volume",
    )


def _check_serverless(reporter: Reporter, doc: Resolved, deployment: dict[str, Any]) -> None:
    memory = deployment["memory_mb"]
    if memory % SERVERLESS_STEP_MB:
        reporter.error(
            doc,
            ("spec", "deployment", "memory_mb"),
            "E402",
            f"serverless memory is not a multiple of {SERVERLESS_STEP_MB} MB",
            "use 1024, 2048, 3072, 4096, 5120 or 6144",
        )
    provisioned = deployment.get("provisioned_concurrency")
    if provisioned is not None and provisioned > deployment["max_concurrency"]:
        reporter.error(
            doc,
            ("spec", "deployment", "provisioned_concurrency"),
            "E403",
            "provisioned_concurrency exceeds max_concurrency",
        )


# (min key, max key, the count the bounds must contain, what is counted)
_BOUNDS = {
    "realtime": ("min_instances", "max_instances", "instance_count", 1),
    "async": ("min_instances", "max_instances", "instance_count", 1),
    "inference-component": ("min_copies", "max_copies", "copies", 1),
    "serverless": (
        "min_provisioned_concurrency",
        "max_provisioned_concurrency",
        "provisioned_concurrency",
        None,
    ),
}


def _check_autoscaling(reporter: Reporter, doc: Resolved, deployment: dict[str, Any]) -> None:
    scaling = deployment.get("autoscaling")
    if not scaling:
        return
    low_key, high_key, count_key, default = _BOUNDS[deployment["type"]]
    low, high = scaling[low_key], scaling[high_key]
    path = ("spec", "deployment", "autoscaling")
    if low > high:
        reporter.error(doc, (*path, low_key), "E410", f"{low_key} is above {high_key}")
        return
    if deployment["type"] == "realtime" and low == 0:
        reporter.error(
            doc,
            (*path, low_key),
            "E410",
            "real-time endpoints cannot scale to zero instances",
            "use min_instances >= 1, or an async deployment to scale to zero",
        )
    count = deployment.get(count_key, default)
    if count is None:
        reporter.error(
            doc,
            (*path,),
            "E410",
            f"autoscaling of provisioned concurrency needs {count_key}",
            f"set deployment.{count_key} within autoscaling.{low_key}..{high_key}",
        )
    elif not low <= count <= high:
        reporter.error(
            doc,
            ("spec", "deployment", count_key),
            "E410",
            f"{count_key} is outside the autoscaling bounds {low_key}..{high_key}",
        )


def _check_rollout(reporter: Reporter, doc: Resolved, rollout: dict[str, Any] | None) -> None:
    if not rollout or "strategy" not in rollout:  # allow_downtime alone (the schema saw to the rest)
        return
    path = ("spec", "deployment", "rollout")
    needs = {"canary": "canary_percent", "linear": "linear_step_percent"}
    strategy = rollout["strategy"]
    for other_strategy, key in needs.items():
        if strategy == other_strategy and key not in rollout:
            reporter.error(
                doc,
                (*path, "strategy"),
                "E206",
                f"a {strategy} rollout needs {key}",
                f"add deployment.rollout.{key} (percent of capacity per step)",
            )
        if strategy != other_strategy and key in rollout:
            reporter.error(doc, (*path, key), "E206", f"{key} applies only to a {other_strategy} rollout")


def check_endpoint(reporter: Reporter, doc: Resolved) -> None:
    check_fields(reporter, doc, ENDPOINT_FIELDS)
    if check_instance_type(reporter, doc, ("instance_type",), doc.spec["instance_type"]):
        _check_volume(reporter, doc, ("volume_size_gb",), doc.spec)
    routing = doc.spec.get("routing")
    strategies = api.routing_strategies()
    if routing is not None and routing not in strategies:
        reporter.error(
            doc,
            ("spec", "routing"),
            "E204",
            f"routing is not one of {', '.join(strategies)}",
            did_you_mean(str(routing), strategies, "values come from SageMaker's RoutingStrategy"),
        )
    scaling = doc.spec.get("managed_scaling")
    if scaling and scaling["min_instances"] > scaling["max_instances"]:
        reporter.error(
            doc,
            ("spec", "managed_scaling", "min_instances"),
            "E410",
            "managed_scaling.min_instances is above max_instances",
        )
    elif (
        scaling
        and not scaling["min_instances"] <= doc.spec.get("instance_count", 1) <= scaling["max_instances"]
    ):
        reporter.error(
            doc,
            ("spec", "instance_count"),
            "E410",
            "instance_count is outside managed_scaling min_instances..max_instances",
        )
