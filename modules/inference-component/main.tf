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

# One declaration whatever owns the copy count, so switching autoscaling on or off never moves the
# component to another address (which Terraform would plan as delete + create: downtime). Application
# Auto Scaling always owns copy_count: with autoscaling, between the spec's bounds; without, pinned at
# min = max = copies, so a changed `copies` is a changed scalable target. RegisterScalableTarget moves
# the current capacity into the new range:
# https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
# UpdateInferenceComponent takes no endpoint name: a component cannot move to another pool in place
# (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateInferenceComponent.html), and
# awscc has no create-only property to say so. A new pool replaces the component: deleted, then
# created on the new pool under the same name (downtime for that model, which the review names and
# refuses in protected environments unless the spec sets rollout.allow_downtime). Not
# create_before_destroy: component names are unique per account and Region, and clients must change
# the endpoint name they call anyway. The move without downtime is a second spec: docs/updates.md.
resource "terraform_data" "placement" {
  input = var.endpoint_name
}

resource "awscc_sagemaker_inference_component" "this" {
  inference_component_name = var.name
  endpoint_name            = var.endpoint_name
  variant_name             = var.variant_name
  specification            = local.specification
  runtime_config           = { copy_count = var.copies }
  tags                     = local.tags

  lifecycle {
    # The starting count only; afterwards the scalable target below decides it.
    ignore_changes       = [runtime_config]
    replace_triggered_by = [terraform_data.placement]
  }
}

# States written before the single declaration (autoscaled components lived at `autoscaled[0]`, fixed
# ones at `this[0]`; Terraform moves `this[0]` to `this` by itself when count goes away).
moved {
  from = awscc_sagemaker_inference_component.autoscaled[0]
  to   = awscc_sagemaker_inference_component.this
}

# Copy-count scaling: https://docs.aws.amazon.com/sagemaker/latest/dg/inference-component-auto-scaling.html
resource "aws_appautoscaling_target" "this" {
  service_namespace  = "sagemaker"
  resource_id        = "inference-component/${awscc_sagemaker_inference_component.this.inference_component_name}"
  scalable_dimension = "sagemaker:inference-component:DesiredCopyCount"
  min_capacity       = var.autoscaling == null ? var.copies : var.autoscaling.min_capacity
  max_capacity       = var.autoscaling == null ? var.copies : var.autoscaling.max_capacity
  tags               = var.tags

  # The same resource_id names the component on its new pool: register it again after the move
  # (deregistered before the old component goes, as a dependent is destroyed first).
  lifecycle {
    replace_triggered_by = [terraform_data.placement]
  }
}

resource "aws_appautoscaling_policy" "this" {
  count = var.autoscaling != null ? 1 : 0

  name               = "${var.name}-target-tracking"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.target_value
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown_s
    scale_out_cooldown = var.autoscaling.scale_out_cooldown_s

    predefined_metric_specification {
      predefined_metric_type = var.autoscaling.predefined_metric
    }
  }

  # Deregistering a target deletes its policies: recreate them with it.
  lifecycle {
    replace_triggered_by = [aws_appautoscaling_target.this]
  }
}
