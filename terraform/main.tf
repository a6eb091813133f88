# Composition only: one artifact bucket and one execution role per environment, then for_each over
# the rendered models, endpoints (dedicated and pools) and inference components.
#
# Zero-downtime updates: models and endpoint configurations are immutable in SageMaker, so their
# rendered names carry a content hash and they are create_before_destroy. A changed image, env var
# or instance type creates a new model/configuration, updates the endpoint in place (blue/green,
# `rollout`), then deletes the old ones; the endpoint itself is never replaced. An inference
# component references its model by name and is updated in place.

module "artifact_bucket" {
  source = "../modules/artifact-bucket"

  bucket_name = var.artifact_bucket.name
  create      = var.artifact_bucket.create
  kms_key_arn = var.kms_key_arn
  tags        = {}
}

module "execution_role" {
  source = "../modules/execution-role"

  name                 = var.execution_role.name
  region               = var.aws.region
  account_id           = var.aws.account_id
  s3_read_object_arns  = var.execution_role.s3_read_object_arns
  s3_list_prefixes     = var.execution_role.s3_list_prefixes
  s3_write_prefix_arns = var.execution_role.s3_write_prefix_arns
  ecr_repository_arns  = var.execution_role.ecr_repository_arns
  sns_topic_arns       = var.execution_role.sns_topic_arns
  kms_key_arns         = var.execution_role.kms_key_arns
  vpc_access           = var.execution_role.vpc_access
  # The role's network-interface grants are limited to the subnets and security groups models use.
  vpc_subnet_ids         = sort(distinct(flatten([for m in values(var.models) : m.vpc == null ? [] : m.vpc.subnet_ids])))
  vpc_security_group_ids = sort(distinct(flatten([for m in values(var.models) : m.vpc == null ? [] : m.vpc.security_group_ids])))
  tags                   = {}
  # execution_role.secret_arns is not passed: Terraform reads the secrets itself (see the module).
}

module "model" {
  source   = "../modules/sagemaker-model"
  for_each = var.models

  name               = each.value.name
  execution_role_arn = module.execution_role.role_arn
  image              = each.value.image
  model_data         = each.value.model_data
  environment        = each.value.environment
  secret_environment = each.value.secret_environment
  network_isolation  = each.value.network_isolation
  vpc                = each.value.vpc
  tags               = each.value.tags
}

module "endpoint" {
  source   = "../modules/endpoint"
  for_each = var.endpoints

  name                                     = each.value.name
  config_name                              = each.value.config_name
  type                                     = each.value.type
  model_name                               = each.value.model_key == null ? null : module.model[each.value.model_key].model_name
  model_revision                           = each.value.model_key == null ? null : module.model[each.value.model_key].secret_revision
  variant_name                             = each.value.variant_name
  instance_type                            = each.value.instance_type
  initial_instance_count                   = each.value.initial_instance_count
  volume_size_gb                           = each.value.volume_size_gb
  model_data_download_timeout_s            = each.value.model_data_download_timeout_s
  container_startup_health_check_timeout_s = each.value.container_startup_health_check_timeout_s
  routing_strategy                         = each.value.routing_strategy
  managed_instance_scaling                 = each.value.managed_instance_scaling
  serverless                               = each.value.serverless
  async                                    = each.value.async
  data_capture                             = each.value.data_capture
  autoscaling                              = each.value.autoscaling
  rollout                                  = each.value.rollout
  execution_role_arn                       = module.execution_role.role_arn
  # Python leaves it null for serverless and for instances with NVMe instance storage, where
  # SageMaker refuses a KmsKeyId (the local disks are encrypted by the instance's hardware).
  volume_kms_key_arn = each.value.volume_kms_key_arn
  output_kms_key_arn = var.kms_key_arn
  tags               = each.value.tags
}

module "inference_component" {
  source   = "../modules/inference-component"
  for_each = var.inference_components

  name                                     = each.value.name
  endpoint_name                            = module.endpoint[each.value.endpoint_key].endpoint_name
  variant_name                             = each.value.variant_name
  model_name                               = module.model[each.value.model_key].model_name
  copies                                   = each.value.copies
  accelerators                             = each.value.accelerators
  cpus                                     = each.value.cpus
  memory_mb                                = each.value.memory_mb
  model_data_download_timeout_s            = each.value.model_data_download_timeout_s
  container_startup_health_check_timeout_s = each.value.container_startup_health_check_timeout_s
  autoscaling                              = each.value.autoscaling
  # awscc has no provider default_tags: the environment's tags go on each resource.
  tags = merge(var.default_tags, each.value.tags)
}

module "inference_component_adapter" {
  source   = "../modules/inference-component-adapter"
  for_each = var.inference_component_adapters

  name                          = each.value.name
  endpoint_name                 = module.endpoint[each.value.endpoint_key].endpoint_name
  base_inference_component_name = module.inference_component[each.value.base_key].inference_component_name
  artifact_url                  = each.value.artifact_url
  # awscc has no provider default_tags: the environment's tags go on each resource.
  tags = merge(var.default_tags, each.value.tags)
}
