output "endpoint_names" {
  description = "Endpoint names by spec name (dedicated endpoints and pools)."
  value       = { for key, endpoint in module.endpoint : key => endpoint.endpoint_name }
}

output "endpoint_arns" {
  description = "Endpoint ARNs by spec name."
  value       = { for key, endpoint in module.endpoint : key => endpoint.endpoint_arn }
}

output "endpoint_config_names" {
  description = "Endpoint configuration in service, by endpoint spec name."
  value       = { for key, endpoint in module.endpoint : key => endpoint.endpoint_config_name }
}

output "model_names" {
  description = "SageMaker model names by spec name."
  value       = { for key, model in module.model : key => model.model_name }
}

output "inference_component_names" {
  description = "Inference component names by spec name."
  value       = { for key, ic in module.inference_component : key => ic.inference_component_name }
}

output "inference_component_arns" {
  description = "Inference component ARNs by spec name."
  value       = { for key, ic in module.inference_component : key => ic.inference_component_arn }
}

output "execution_role_arn" {
  description = "ARN of the environment's SageMaker execution role."
  value       = module.execution_role.role_arn
}

output "artifact_bucket_name" {
  description = "Name of the environment's artifact bucket."
  value       = module.artifact_bucket.bucket_name
}

output "inference_component_adapter_names" {
  description = "LoRA adapter inference component names by spec name."
  value       = { for key, adapter in module.inference_component_adapter : key => adapter.inference_component_name }
}
