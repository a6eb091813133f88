# The rendered file envs/<env>/rendered.tfvars.json is the only input (docs/rendered-format.md).
# Types are strict and nothing has a default: `sagespec render` decides every value, and a render
# that misses an attribute fails at plan time instead of silently taking an HCL default.

variable "environment" {
  description = "Environment name (`dev`, `staging`, `prod`); part of every rendered name."
  type        = string
}

variable "aws" {
  description = "Region and account of the environment; the aws provider refuses any other account."
  type = object({
    region     = string
    account_id = string
  })
}

variable "default_tags" {
  description = "Tags on every resource (provider default_tags for aws, merged per resource for awscc): managed-by = sagespec, sagespec-env and the environment's own tags."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for endpoint volumes, async output, data capture and the artifact bucket; null for none (the bucket then uses the AWS managed key)."
  type        = string
}

variable "artifact_bucket" {
  description = "The environment's artifact bucket: its name, and whether it is created here (true) or already exists (false)."
  type = object({
    name   = string
    create = bool
  })
}

variable "execution_role" {
  description = "The environment's SageMaker execution role and exactly what it may access, derived from the specs."
  type = object({
    name                 = string
    s3_read_object_arns  = list(string)
    s3_list_prefixes     = list(object({ bucket_arn = string, prefix = string }))
    s3_write_prefix_arns = list(string)
    ecr_repository_arns  = list(string)
    secret_arns          = list(string)
    sns_topic_arns       = list(string)
    kms_key_arns         = list(string)
    vpc_access           = bool
  })
}

variable "models" {
  description = "SageMaker models by spec name; names are content-hashed (`<spec>-<env>-<8 hex>`)."
  type = map(object({
    name               = string
    image              = string
    model_data         = object({ s3_uri = string, compressed = bool })
    environment        = map(string)
    secret_environment = map(string)
    network_isolation  = bool
    vpc                = object({ subnet_ids = list(string), security_group_ids = list(string) })
    tags               = map(string)
  }))
}

variable "endpoints" {
  description = "Endpoints by spec name: dedicated endpoints of realtime, serverless and async models, and instance pools (kind Endpoint) for inference components."
  type = map(object({
    name                                     = string
    config_name                              = string
    type                                     = string
    model_key                                = string
    variant_name                             = string
    instance_type                            = string
    initial_instance_count                   = number
    volume_size_gb                           = number
    volume_kms_key_arn                       = string
    model_data_download_timeout_s            = number
    container_startup_health_check_timeout_s = number
    routing_strategy                         = string
    managed_instance_scaling                 = object({ min_instances = number, max_instances = number })
    serverless                               = object({ memory_mb = number, max_concurrency = number, provisioned_concurrency = number })
    async = object({
      output_s3_uri                           = string
      failure_s3_uri                          = string
      success_topic_arn                       = string
      error_topic_arn                         = string
      max_concurrent_invocations_per_instance = number
    })
    data_capture = object({ sampling_percent = number, destination_s3_uri = string, capture_content_types = list(string) })
    autoscaling = object({
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
    rollout = object({
      traffic_routing         = string
      step_percent            = number
      wait_s                  = number
      termination_wait_s      = number
      max_execution_timeout_s = number
      rollback_alarms         = list(string)
    })
    tags = map(string)
  }))

  validation {
    condition     = alltrue([for e in values(var.endpoints) : contains(["realtime", "serverless", "async", "pool"], e.type)])
    error_message = "Every endpoint type must be realtime, serverless, async or pool."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : (e.type == "pool") == (e.model_key == null)])
    error_message = "Pools have no model_key; every other endpoint has one."
  }
}

variable "inference_components" {
  description = "Inference components by spec name, each on a pool endpoint (`endpoint_key`) serving one model (`model_key`)."
  type = map(object({
    name                                     = string
    endpoint_key                             = string
    model_key                                = string
    variant_name                             = string
    copies                                   = number
    accelerators                             = number
    cpus                                     = number
    memory_mb                                = number
    model_data_download_timeout_s            = number
    container_startup_health_check_timeout_s = number
    autoscaling = object({
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
    tags = map(string)
  }))
}

variable "inference_component_adapters" {
  description = "LoRA adapter inference components by spec name, each on the copies of a base inference component (`base_key`) on that base's pool (`endpoint_key`)."
  type = map(object({
    name         = string
    base_key     = string
    endpoint_key = string
    artifact_url = string
    tags         = map(string)
  }))
}
