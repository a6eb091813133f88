variable "name" {
  description = "Inference component name (`<spec>-<env>`), stable across updates."
  type        = string
}

variable "endpoint_name" {
  description = "Name of the pool endpoint the component runs on."
  type        = string
}

variable "variant_name" {
  description = "Production variant of the pool endpoint."
  type        = string
}

variable "model_name" {
  description = "SageMaker model the component serves; a new model name updates the component in place."
  type        = string
}

variable "copies" {
  description = "Copies of the model to run: the starting count, and without autoscaling the scalable target's min and max."
  type        = number
}

variable "accelerators" {
  description = "Accelerator devices (GPUs, Neuron cores) per copy; null for CPU-only copies."
  type        = number
}

variable "cpus" {
  description = "CPU cores per copy (0.25 steps allowed)."
  type        = number
}

variable "memory_mb" {
  description = "Minimum memory per copy in MB."
  type        = number
}

variable "model_data_download_timeout_s" {
  description = "Seconds allowed to download the model for a copy (60-3600); null for SageMaker's default."
  type        = number
}

variable "container_startup_health_check_timeout_s" {
  description = "Seconds allowed for a copy's container to pass its first health check (60-3600); null for SageMaker's default."
  type        = number
}

variable "autoscaling" {
  description = "Copy-count autoscaling (dimension `sagemaker:inference-component:DesiredCopyCount`, target tracking on a predefined metric such as SageMakerInferenceComponentInvocationsPerCopy); null for a fixed copy count."
  type = object({
    scalable_dimension   = string
    min_capacity         = number
    max_capacity         = number
    target_value         = number
    predefined_metric    = string
    custom_metric_name   = string
    scale_in_cooldown_s  = number
    scale_out_cooldown_s = number
    scale_from_zero      = bool
  })

  validation {
    condition     = var.autoscaling == null ? true : var.autoscaling.predefined_metric != null
    error_message = "Inference component autoscaling needs a predefined_metric (SageMakerInferenceComponentInvocationsPerCopy)."
  }
}

variable "tags" {
  description = "Tags for the component and its scalable target. awscc has no provider default_tags: pass the environment's default tags merged in."
  type        = map(string)
}
