variable "name" {
  description = "Adapter inference component name (`<spec>-<env>`), stable across adapter updates."
  type        = string
}

variable "endpoint_name" {
  description = "Name of the pool endpoint the base inference component runs on."
  type        = string
}

variable "base_inference_component_name" {
  description = "Name of the base inference component whose copies load the adapter."
  type        = string
}

variable "artifact_url" {
  description = "S3 URI of the adapter's content-addressed tar.gz: a new adapter is a new URI, which updates this component only."
  type        = string
}

variable "tags" {
  description = "Tags for the adapter component. awscc has no provider default_tags: pass the environment's default tags merged in."
  type        = map(string)
}
