# One inference component on a pool endpoint: a model with its own accelerators, CPUs, memory and
# copy count. The aws provider has no such resource; awscc (Cloud Control) does, with nested
# attributes (`x = { ... }`) instead of blocks and tags as a list of {key, value}.
# https://registry.terraform.io/providers/hashicorp/awscc/latest/docs/resources/sagemaker_inference_component

locals {
  specification = {
    model_name = var.model_name
    compute_resource_requirements = {
      number_of_accelerator_devices_required = var.accelerators
      number_of_cpu_cores_required           = var.cpus
      min_memory_required_in_mb              = var.memory_mb
    }
    startup_parameters = var.model_data_download_timeout_s == null && var.container_startup_health_check_timeout_s == null ? null : {
      model_data_download_timeout_in_seconds            = var.model_data_download_timeout_s
      container_startup_health_check_timeout_in_seconds = var.container_startup_health_check_timeout_s
    }
  }

  tags = [for key in sort(keys(var.tags)) : { key = key, value = var.tags[key] }]
}

# Two declarations of the same component, one per copy-count owner: without autoscaling Terraform
# owns copy_count; with it Application Auto Scaling does, and Terraform must not reset the count it
# chose on every apply. ignore_changes cannot be conditional, so the choice is the resource address
# (switching autoscaling on or off re-creates the component). The body is shared through locals.
resource "awscc_sagemaker_inference_component" "this" {
  count = var.autoscaling == null ? 1 : 0

  inference_component_name = var.name
  endpoint_name            = var.endpoint_name
  variant_name             = var.variant_name
  specification            = local.specification
  runtime_config           = { copy_count = var.copies }
  tags                     = local.tags
}

resource "awscc_sagemaker_inference_component" "autoscaled" {
  count = var.autoscaling != null ? 1 : 0

  inference_component_name = var.name
  endpoint_name            = var.endpoint_name
  variant_name             = var.variant_name
  specification            = local.specification
  runtime_config           = { copy_count = var.copies }
  tags                     = local.tags

  lifecycle {
    ignore_changes = [runtime_config]
  }
}

# Copy-count autoscaling: https://docs.aws.amazon.com/sagemaker/latest/dg/inference-component-auto-scaling.html
resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling != null ? 1 : 0

  service_namespace  = "sagemaker"
  resource_id        = "inference-component/${awscc_sagemaker_inference_component.autoscaled[0].inference_component_name}"
  scalable_dimension = var.autoscaling.scalable_dimension
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "this" {
  count = var.autoscaling != null ? 1 : 0

  name               = "${var.name}-target-tracking"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.target_value
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown_s
    scale_out_cooldown = var.autoscaling.scale_out_cooldown_s

    predefined_metric_specification {
      predefined_metric_type = var.autoscaling.predefined_metric
    }
  }
}
