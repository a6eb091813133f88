output "inference_component_name" {
  description = "Name of the inference component."
  value       = awscc_sagemaker_inference_component.this.inference_component_name
}

output "inference_component_arn" {
  description = "ARN of the inference component."
  value       = awscc_sagemaker_inference_component.this.inference_component_arn
}

output "autoscaling_resource_id" {
  description = "Application Auto Scaling resource id (`inference-component/<name>`); the copy count is always a scalable target (min = max = copies without autoscaling)."
  value       = aws_appautoscaling_target.this.resource_id
}
