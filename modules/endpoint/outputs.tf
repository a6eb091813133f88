output "endpoint_name" {
  description = "Name of the endpoint."
  value       = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  description = "ARN of the endpoint."
  value       = aws_sagemaker_endpoint.this.arn
}

output "endpoint_config_name" {
  description = "Name of the endpoint configuration in service."
  value       = aws_sagemaker_endpoint_configuration.this.name
}

output "variant_name" {
  description = "Name of the production variant (inference components attach to it)."
  value       = var.variant_name
}

output "autoscaling_resource_id" {
  description = "Application Auto Scaling resource id of the variant, null without autoscaling."
  value       = one(aws_appautoscaling_target.this[*].resource_id)
}
