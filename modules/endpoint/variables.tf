variable "name" {
  description = "Endpoint name, stable across updates (`<spec>-<env>`): clients call it, so it is updated in place, never replaced."
  type        = string
}

variable "config_name" {
  description = "Endpoint configuration name from the render: `<spec>-<env>-<8 hex>`, a content hash that changes whenever the configuration does."
  type        = string
}

variable "type" {
  description = "Deployment type: `realtime`, `serverless`, `async` or `pool` (a model-less instance pool for inference components)."
  type        = string

  validation {
    condition     = contains(["realtime", "serverless", "async", "pool"], var.type)
    error_message = "type must be realtime, serverless, async or pool."
  }
}

variable "model_name" {
  description = "Name of the SageMaker model the variant serves; null for a pool (inference components bring their own models)."
  type        = string
}

variable "model_revision" {
  description = "The model's secret revision (sagemaker-model output `secret_revision`), null when it has no secrets; when set it is folded into the configuration name so a rotated secret gets a new configuration."
  type        = string
}

variable "variant_name" {
  description = "Name of the production variant."
  type        = string
}

variable "instance_type" {
  description = "ML instance type; null for serverless."
  type        = string
}

variable "initial_instance_count" {
  description = "Instances the variant starts with; null for serverless."
  type        = number
}

variable "volume_size_gb" {
  description = "Storage volume per instance in GB; null for SageMaker's default (and for instance types with local NVMe storage)."
  type        = number
}

variable "model_data_download_timeout_s" {
  description = "Seconds allowed to download and extract the model (60-3600); null for SageMaker's default."
  type        = number
}

variable "container_startup_health_check_timeout_s" {
  description = "Seconds allowed for the container to pass its first health check (60-3600); null for SageMaker's default."
  type        = number
}

variable "routing_strategy" {
  description = "Pools: how requests are routed to instances, `LEAST_OUTSTANDING_REQUESTS` or `RANDOM`; null for the default."
  type        = string
}

variable "managed_instance_scaling" {
  description = "Pools: instance range SageMaker scales the pool within as inference component copies come and go; null to keep the instance count fixed."
  type = object({
    min_instances = number
    max_instances = number
  })
}

variable "serverless" {
  description = "Serverless variant: memory, maximum concurrency and provisioned concurrency (null for none); null for instance-based types."
  type = object({
    memory_mb               = number
    max_concurrency         = number
    provisioned_concurrency = number
  })
}

variable "async" {
  description = "Asynchronous inference: S3 output and failure paths, SNS success and error topics (null for none) and maximum concurrent invocations per instance (null for SageMaker's choice); null for synchronous types."
  type = object({
    output_s3_uri                           = string
    failure_s3_uri                          = string
    success_topic_arn                       = string
    error_topic_arn                         = string
    max_concurrent_invocations_per_instance = number
  })
}

variable "data_capture" {
  description = "Capture of requests and responses to S3 at a sampling percentage, for the listed JSON content types; null for none."
  type = object({
    sampling_percent      = number
    destination_s3_uri    = string
    capture_content_types = list(string)
  })
}

variable "autoscaling" {
  description = "Variant autoscaling with Application Auto Scaling (instances, or provisioned concurrency for serverless); `scale_from_zero` adds a step policy on HasBacklogWithoutCapacity for async endpoints with a minimum of 0; null for none."
  type = object({
    scalable_dimension   = string
    min_capacity         = number
    max_capacity         = number
    target_value         = number
    predefined_metric    = string
    custom_metric_name   = string
    scale_in_cooldown_s  = number
    scale_out_cooldown_s = number
    scale_from_zero      = bool
  })
}

variable "rollout" {
  description = "Blue/green deployment of configuration changes: traffic shifting ALL_AT_ONCE, CANARY or LINEAR (step as a percentage of capacity), waits, and CloudWatch alarms that roll back; null for SageMaker's default (blue/green, all at once)."
  type = object({
    traffic_routing         = string
    step_percent            = number
    wait_s                  = number
    termination_wait_s      = number
    max_execution_timeout_s = number
    rollback_alarms         = list(string)
  })
}

variable "execution_role_arn" {
  description = "Execution role set on a pool's endpoint configuration (required when the variant has no model); ignored for the other types."
  type        = string
}

variable "volume_kms_key_arn" {
  description = "KMS key for the instances' storage volumes; null for none (serverless, and instance types with local NVMe storage, which reject a key and encrypt in hardware)."
  type        = string
}

variable "output_kms_key_arn" {
  description = "KMS key for what the endpoint writes to S3 (async output, data capture); null for the bucket's default encryption."
  type        = string
}

variable "tags" {
  description = "Tags for the endpoint, its configuration and autoscaling resources, on top of the provider's default_tags."
  type        = map(string)
}
