# Scale from zero copies (autoscaling min_copies = 0). At 0 copies target tracking has no
# per-copy metric to act on, so SageMaker's recipe adds a step scaling policy that an alarm on
# NoCapacityInvocationFailures (requests that found no copy) triggers to add the first copy:
# https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
# The page's CLI example, checked against it: the policy is ChangeInCapacity, Maximum, +1 from
# lower bound 0 (as here); its alarm is Sum over 60 s, GreaterThanThreshold 1, one datapoint of
# one period. Here the alarm is Maximum over 30 s, >= 1: the first request that finds no copy
# wakes the component (the example's "> 1" waits for a second failure). The cooldown is the
# component's scale-out cooldown (the example: 60 s).
#
# The scalable target is read through a splat so this file holds whether the target is declared
# with or without count; the alarm's dimension is the component name, which is var.name.

locals {
  scale_from_zero = var.autoscaling == null ? false : var.autoscaling.scale_from_zero
}

resource "aws_appautoscaling_policy" "scale_from_zero" {
  count = local.scale_from_zero ? 1 : 0

  name               = "${var.name}-scale-from-zero"
  policy_type        = "StepScaling"
  service_namespace  = one(aws_appautoscaling_target.this[*].service_namespace)
  resource_id        = one(aws_appautoscaling_target.this[*].resource_id)
  scalable_dimension = one(aws_appautoscaling_target.this[*].scalable_dimension)

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = var.autoscaling.scale_out_cooldown_s
    metric_aggregation_type = "Maximum"

    step_adjustment {
      metric_interval_lower_bound = "0"
      scaling_adjustment          = 1
    }
  }

  # Deregistering a scalable target deletes its policies: recreate this one with it.
  lifecycle {
    replace_triggered_by = [aws_appautoscaling_target.this]
  }
}

resource "aws_cloudwatch_metric_alarm" "no_capacity_invocation_failures" {
  count = local.scale_from_zero ? 1 : 0

  alarm_name          = "${var.name}-no-capacity-invocation-failures"
  alarm_description   = "A request to ${var.name} found no copy running: add one (scale out from zero)."
  namespace           = "AWS/SageMaker"
  metric_name         = "NoCapacityInvocationFailures"
  dimensions          = { InferenceComponentName = var.name }
  statistic           = "Maximum"
  period              = 30
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "missing"
  actions_enabled     = true
  alarm_actions       = [aws_appautoscaling_policy.scale_from_zero[0].arn]
  tags                = var.tags
}
