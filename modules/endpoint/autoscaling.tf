# Variant autoscaling with Application Auto Scaling: instances (realtime, async) or provisioned
# concurrency (serverless), target tracking on a predefined or a SageMaker metric, and for async
# endpoints that may sit at zero instances a step policy that wakes them on queued requests.
# https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling.html

resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling != null ? 1 : 0

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/${var.variant_name}"
  scalable_dimension = var.autoscaling.scalable_dimension
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
  tags               = var.tags

  # SageMaker refuses to update an endpoint to a new instance type while its variant is a scalable
  # target. A changed instance type replaces the target: Terraform deregisters it before updating
  # the endpoint (a dependent is destroyed before its dependency is updated) and registers it again
  # after. https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
  # Deleting an endpoint deregisters its scalable targets without notice
  # (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-delete-with-scaling.html): a replaced
  # endpoint (its arn is unknown until it is created again) replaces the target too, or the new
  # endpoint would run without autoscaling until the next apply.
  lifecycle {
    replace_triggered_by = [
      aws_sagemaker_endpoint_configuration.this.production_variants[0].instance_type,
      aws_sagemaker_endpoint.this.arn,
    ]
  }
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

    dynamic "predefined_metric_specification" {
      for_each = var.autoscaling.predefined_metric != null ? [var.autoscaling.predefined_metric] : []

      content {
        predefined_metric_type = predefined_metric_specification.value
      }
    }

    # Async: ApproximateBacklogSizePerInstance, which SageMaker publishes per endpoint.
    # https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
    dynamic "customized_metric_specification" {
      for_each = var.autoscaling.custom_metric_name != null ? [var.autoscaling.custom_metric_name] : []

      content {
        metric_name = customized_metric_specification.value
        namespace   = "AWS/SageMaker"
        statistic   = "Average"

        dimensions {
          name  = "EndpointName"
          value = aws_sagemaker_endpoint.this.name
        }
      }
    }
  }

  # Deregistering a target deletes its policies: recreate them with it.
  lifecycle {
    replace_triggered_by = [aws_appautoscaling_target.this]
  }
}

# From zero, target tracking scales out only once the backlog exceeds its target; this step policy
# adds an instance as soon as requests wait with no instance running (the AWS recipe, same link).
resource "aws_appautoscaling_policy" "scale_from_zero" {
  count = local.scale_from_zero ? 1 : 0

  name               = "${var.name}-scale-from-zero"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = var.autoscaling.scale_out_cooldown_s
    metric_aggregation_type = "Average"

    step_adjustment {
      metric_interval_lower_bound = "0"
      scaling_adjustment          = 1
    }
  }

  lifecycle {
    replace_triggered_by = [aws_appautoscaling_target.this]
  }
}

resource "aws_cloudwatch_metric_alarm" "has_backlog_without_capacity" {
  count = local.scale_from_zero ? 1 : 0

  alarm_name          = "${var.name}-has-backlog-without-capacity"
  alarm_description   = "Requests are queued for ${var.name} and no instance is running: scale out from zero."
  namespace           = "AWS/SageMaker"
  metric_name         = "HasBacklogWithoutCapacity"
  dimensions          = { EndpointName = aws_sagemaker_endpoint.this.name }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "missing"
  actions_enabled     = true
  alarm_actions       = [aws_appautoscaling_policy.scale_from_zero[0].arn]
  tags                = var.tags
}
