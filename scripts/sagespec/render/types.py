"""The rendered file `envs/<env>/rendered.tfvars.json`, typed: one TypedDict per object type of
terraform/variables.tf (tests/render/test_types.py checks the two agree, attribute by attribute).

`X | None` is an attribute the HCL receives as null; Terraform's `number` is int or float.
"""

from __future__ import annotations

from typing import TypedDict


class Aws(TypedDict):
    region: str
    account_id: str


class ArtifactBucket(TypedDict):
    name: str
    create: bool


class S3ListPrefix(TypedDict):
    bucket_arn: str
    prefix: str


class ExecutionRole(TypedDict):
    name: str
    s3_read_object_arns: list[str]
    s3_list_prefixes: list[S3ListPrefix]
    s3_write_prefix_arns: list[str]
    ecr_repository_arns: list[str]
    secret_arns: list[str]
    sns_topic_arns: list[str]
    kms_key_arns: list[str]
    vpc_access: bool


class ModelData(TypedDict):
    s3_uri: str
    compressed: bool


class Vpc(TypedDict):
    subnet_ids: list[str]
    security_group_ids: list[str]


class Model(TypedDict):
    name: str
    image: str
    model_data: ModelData | None
    environment: dict[str, str]
    secret_environment: dict[str, str]  # variable name -> Secrets Manager ARN, never a value
    network_isolation: bool
    vpc: Vpc | None
    tags: dict[str, str]


class ManagedInstanceScaling(TypedDict):
    min_instances: int
    max_instances: int


class Serverless(TypedDict):
    memory_mb: int
    max_concurrency: int
    provisioned_concurrency: int | None


class Async(TypedDict):
    output_s3_uri: str
    failure_s3_uri: str
    success_topic_arn: str | None
    error_topic_arn: str | None
    max_concurrent_invocations_per_instance: int | None


class DataCapture(TypedDict):
    sampling_percent: int
    destination_s3_uri: str
    capture_content_types: list[str]


class Autoscaling(TypedDict):
    scalable_dimension: str
    min_capacity: int
    max_capacity: int
    target_value: float
    predefined_metric: str | None
    custom_metric_name: str | None
    scale_in_cooldown_s: int
    scale_out_cooldown_s: int
    scale_from_zero: bool


class Rollout(TypedDict):
    traffic_routing: str
    step_percent: int | None
    wait_s: int
    termination_wait_s: int
    max_execution_timeout_s: int | None
    rollback_alarms: list[str]


# `async` is a Python keyword: only the functional syntax can name it
_AsyncBlock = TypedDict("_AsyncBlock", {"async": Async | None})


class Endpoint(_AsyncBlock):
    name: str
    config_name: str
    type: str  # realtime, serverless, async or pool
    model_key: str | None  # None for a pool
    variant_name: str
    instance_type: str | None
    initial_instance_count: int | None
    volume_size_gb: int | None
    volume_kms_key_arn: str | None
    model_data_download_timeout_s: int | None
    container_startup_health_check_timeout_s: int | None
    routing_strategy: str | None
    managed_instance_scaling: ManagedInstanceScaling | None
    serverless: Serverless | None
    data_capture: DataCapture | None
    autoscaling: Autoscaling | None
    rollout: Rollout | None
    tags: dict[str, str]


class InferenceComponent(TypedDict):
    name: str
    endpoint_key: str
    model_key: str
    variant_name: str
    copies: int
    accelerators: int | None
    cpus: float
    memory_mb: int
    model_data_download_timeout_s: int | None
    container_startup_health_check_timeout_s: int | None
    autoscaling: Autoscaling | None
    tags: dict[str, str]


class Adapter(TypedDict):
    name: str
    base_key: str
    endpoint_key: str
    artifact_url: str
    tags: dict[str, str]


class Rendered(TypedDict):
    environment: str
    aws: Aws
    default_tags: dict[str, str]
    kms_key_arn: str | None
    artifact_bucket: ArtifactBucket
    execution_role: ExecutionRole
    models: dict[str, Model]
    endpoints: dict[str, Endpoint]
    inference_components: dict[str, InferenceComponent]
    inference_component_adapters: dict[str, Adapter]
