output "inference_component_name" {
  description = "Name of the inference component."
  value       = one(concat(awscc_sagemaker_inference_component.this[*].inference_component_name, awscc_sagemaker_inference_component.autoscaled[*].inference_component_name))
}

output "inference_component_arn" {
  description = "ARN of the inference component."
  value       = one(concat(awscc_sagemaker_inference_component.this[*].inference_component_arn, awscc_sagemaker_inference_component.autoscaled[*].inference_component_arn))
}

output "autoscaling_resource_id" {
  description = "Application Auto Scaling resource id (`inference-component/<name>`), null without autoscaling."
  value       = one(aws_appautoscaling_target.this[*].resource_id)
}
