# An endpoint configuration and its endpoint: realtime, serverless, async, or a model-less pool for
# inference components. Configurations are immutable: a changed one gets a new content-hashed name,
# is created first, and the endpoint is updated in place to it (blue/green), then the old one goes.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_endpoint_configuration

locals {
  is_pool = var.type == "pool"

  # Same length as the rendered name; differs only while the model's secrets have been rotated.
  config_name = var.model_revision == null ? var.config_name : format(
    "%s%s", substr(var.config_name, 0, length(var.config_name) - 8), substr(sha256("${var.config_name}/${var.model_revision}"), 0, 8)
  )

  scale_from_zero = var.autoscaling == null ? false : var.autoscaling.scale_from_zero
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  #checkov:skip=CKV_AWS_98:volume encryption is the environment's kms_key_arn (policy.require_kms enforces it); serverless and local-NVMe instance types reject a KmsKeyId and encrypt in hardware
  name = local.config_name
  # A variant without a model (inference components) needs the role on the configuration.
  execution_role_arn = local.is_pool ? var.execution_role_arn : null
  kms_key_arn        = var.volume_kms_key_arn

  production_variants {
    variant_name                                      = var.variant_name
    model_name                                        = var.model_name
    instance_type                                     = var.instance_type
    initial_instance_count                            = var.initial_instance_count
    volume_size_in_gb                                 = var.volume_size_gb
    model_data_download_timeout_in_seconds            = var.model_data_download_timeout_s
    container_startup_health_check_timeout_in_seconds = var.container_startup_health_check_timeout_s

    dynamic "serverless_config" {
      for_each = var.serverless != null ? [var.serverless] : []

      content {
        memory_size_in_mb       = serverless_config.value.memory_mb
        max_concurrency         = serverless_config.value.max_concurrency
        provisioned_concurrency = serverless_config.value.provisioned_concurrency
      }
    }

    dynamic "managed_instance_scaling" {
      for_each = var.managed_instance_scaling != null ? [var.managed_instance_scaling] : []

      content {
        status             = "ENABLED"
        min_instance_count = managed_instance_scaling.value.min_instances
        max_instance_count = managed_instance_scaling.value.max_instances
      }
    }

    dynamic "routing_config" {
      for_each = var.routing_strategy != null ? [var.routing_strategy] : []

      content {
        routing_strategy = routing_config.value
      }
    }
  }

  dynamic "async_inference_config" {
    for_each = var.async != null ? [var.async] : []

    content {
      output_config {
        s3_output_path  = async_inference_config.value.output_s3_uri
        s3_failure_path = async_inference_config.value.failure_s3_uri
        kms_key_id      = var.output_kms_key_arn

        dynamic "notification_config" {
          for_each = async_inference_config.value.success_topic_arn != null || async_inference_config.value.error_topic_arn != null ? [async_inference_config.value] : []

          content {
            success_topic = notification_config.value.success_topic_arn
            error_topic   = notification_config.value.error_topic_arn
          }
        }
      }

      dynamic "client_config" {
        for_each = async_inference_config.value.max_concurrent_invocations_per_instance != null ? [async_inference_config.value.max_concurrent_invocations_per_instance] : []

        content {
          max_concurrent_invocations_per_instance = client_config.value
        }
      }
    }
  }

  dynamic "data_capture_config" {
    for_each = var.data_capture != null ? [var.data_capture] : []

    content {
      enable_capture              = true
      initial_sampling_percentage = data_capture_config.value.sampling_percent
      destination_s3_uri          = data_capture_config.value.destination_s3_uri
      kms_key_id                  = var.output_kms_key_arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }

      dynamic "capture_content_type_header" {
        for_each = length(data_capture_config.value.capture_content_types) > 0 ? [data_capture_config.value.capture_content_types] : []

        content {
          json_content_types = capture_content_type_header.value
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Changes UpdateEndpoint refuses, which the provider would attempt in place (the apply would fail):
# each is a replacement trigger instead, so the plan shows the endpoint deleted and created again under
# the same name (downtime, which the review names and refuses in protected environments unless the
# spec sets rollout.allow_downtime). No create_before_destroy: the name is what clients call, and
# CreateEndpoint refuses a name that exists. Table and sources: docs/updates.md.
#
# Real-time <-> serverless: "currently not supported"
# (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html).
resource "terraform_data" "kind" {
  input = var.type == "serverless" ? "serverless" : "instances"
}

# Async <-> synchronous: UpdateEndpoint refuses a configuration without the endpoint's
# AsyncInferenceConfig ("The AsyncInferenceConfig parameter cannot be removed from this endpoint",
# https://github.com/aws/sagemaker-python-sdk/pull/3124), and an endpoint with one takes only
# InvokeEndpointAsync (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html), so adding
# it is replaced too. A resource of its own rather than a third `kind` value: states written before it
# keep their `kind`, and a trigger that is only being created replaces nothing.
resource "terraform_data" "invocation" {
  input = var.async != null ? "async" : "sync"
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name

  # Without deployment_config SageMaker still updates blue/green, all at once, with no alarms.
  # https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html
  dynamic "deployment_config" {
    for_each = var.rollout != null ? [var.rollout] : []

    content {
      blue_green_update_policy {
        termination_wait_in_seconds          = deployment_config.value.termination_wait_s
        maximum_execution_timeout_in_seconds = deployment_config.value.max_execution_timeout_s

        traffic_routing_configuration {
          type                     = deployment_config.value.traffic_routing
          wait_interval_in_seconds = deployment_config.value.wait_s

          dynamic "canary_size" {
            for_each = deployment_config.value.traffic_routing == "CANARY" ? [deployment_config.value.step_percent] : []

            content {
              type  = "CAPACITY_PERCENT"
              value = canary_size.value
            }
          }

          dynamic "linear_step_size" {
            for_each = deployment_config.value.traffic_routing == "LINEAR" ? [deployment_config.value.step_percent] : []

            content {
              type  = "CAPACITY_PERCENT"
              value = linear_step_size.value
            }
          }
        }
      }

      # ForceNew in the aws provider (internal/service/sagemaker/endpoint.go): as an SDKv2 block it
      # forces a new endpoint only when it appears or goes (the first alarm added, the last removed);
      # renaming alarms is an in-place UpdateEndpoint. Adding or removing alarms is therefore downtime.
      dynamic "auto_rollback_configuration" {
        for_each = length(deployment_config.value.rollback_alarms) > 0 ? [deployment_config.value.rollback_alarms] : []

        content {
          dynamic "alarms" {
            for_each = auto_rollback_configuration.value

            content {
              alarm_name = alarms.value
            }
          }
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    replace_triggered_by = [terraform_data.kind, terraform_data.invocation]
  }
}
