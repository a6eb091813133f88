output "model_name" {
  description = "Name of the SageMaker model: the rendered name, or for a model with secret environment the rendered name with a suffix that also covers the secrets' current versions."
  value       = aws_sagemaker_model.this.name
}

output "model_arn" {
  description = "ARN of the SageMaker model."
  value       = aws_sagemaker_model.this.arn
}

output "secret_revision" {
  description = "Hash of the current versions of the model's secrets, null when it has none; endpoint configs that use the model fold it into their names."
  value       = local.secret_revision
}
