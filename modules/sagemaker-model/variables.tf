variable "name" {
  description = "Model name from the render: `<spec>-<env>-<8 hex>`, a content hash that changes whenever the model does."
  type        = string
}

variable "execution_role_arn" {
  description = "ARN of the SageMaker execution role the model runs as."
  type        = string
}

variable "image" {
  description = "Inference container image URI (resolved for the region by the renderer)."
  type        = string
}

variable "model_data" {
  description = "Model artifacts in S3: a compressed `model.tar.gz` (`compressed = true`) or an uncompressed prefix ending in `/`; null when the container downloads the model itself (for example from the Hugging Face Hub)."
  type = object({
    s3_uri     = string
    compressed = bool
  })
}

variable "environment" {
  description = "Container environment variables (no secrets)."
  type        = map(string)
}

variable "secret_environment" {
  description = "Environment variable name to Secrets Manager secret ARN; each value is read at apply time and added to the container environment."
  type        = map(string)
}

variable "network_isolation" {
  description = "Controls if the container runs with no network access at all (no Hugging Face Hub downloads then)."
  type        = bool
}

variable "vpc" {
  description = "Subnets and security groups the model runs in; null for SageMaker's own network."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
}

variable "tags" {
  description = "Tags for the model, on top of the provider's default_tags (includes `sagespec-spec`)."
  type        = map(string)
}
