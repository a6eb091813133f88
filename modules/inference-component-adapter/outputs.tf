output "inference_component_name" {
  description = "Name of the adapter inference component (what callers pass as InferenceComponentName)."
  value       = awscc_sagemaker_inference_component.this.inference_component_name
}

output "inference_component_arn" {
  description = "ARN of the adapter inference component."
  value       = awscc_sagemaker_inference_component.this.inference_component_arn
}
