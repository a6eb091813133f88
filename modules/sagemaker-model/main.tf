# One SageMaker model. Models are immutable: every argument forces a new model, so the name is a
# content hash from the render and the old model is destroyed only after its replacement exists
# and the endpoint (config) or inference component has moved to it.

# Secrets are read when Terraform plans and applies, never rendered: the rendered file holds only
# ARNs. The values end up in the model's environment and in the (encrypted) state.
# Keyed by variable name, and read back by iterating over the data source itself (not over the
# variable): a plan targeted at other module instances does not read it, and must not fail here.
data "aws_secretsmanager_secret_version" "this" {
  for_each = var.secret_environment

  secret_id = each.value
}

locals {
  environment = merge(
    var.environment,
    { for name, secret in data.aws_secretsmanager_secret_version.this : name => secret.secret_string },
  )

  # The render cannot see secret values, so a rotated secret would force a new model under the same
  # name (and SageMaker refuses duplicate names). Fold the secrets' current version ids into the
  # name's 8-hex suffix: same length, unchanged until a secret is rotated.
  secret_revision = length(var.secret_environment) == 0 ? null : substr(sha256(jsonencode(merge([
    for secret in values(data.aws_secretsmanager_secret_version.this) : { (secret.secret_id) = secret.version_id }
  ]...))), 0, 8)
  name = local.secret_revision == null ? var.name : format(
    "%s%s", substr(var.name, 0, length(var.name) - 8), substr(sha256("${var.name}/${local.secret_revision}"), 0, 8)
  )

  # A compressed tarball goes in model_data_url; an uncompressed prefix in model_data_source.
  # https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-uncompressed.html
  model_data_url    = var.model_data == null ? null : (var.model_data.compressed ? var.model_data.s3_uri : null)
  model_data_prefix = var.model_data == null ? [] : (var.model_data.compressed ? [] : [var.model_data.s3_uri])
}

resource "aws_sagemaker_model" "this" {
  #checkov:skip=CKV_AWS_370:network isolation is the spec's `network_isolation`; containers that download weights from the Hugging Face Hub need the network
  name                     = local.name
  execution_role_arn       = var.execution_role_arn
  enable_network_isolation = var.network_isolation

  primary_container {
    image          = var.image
    model_data_url = local.model_data_url
    environment    = local.environment

    dynamic "model_data_source" {
      for_each = local.model_data_prefix

      content {
        s3_data_source {
          s3_uri           = model_data_source.value
          s3_data_type     = "S3Prefix"
          compression_type = "None"
        }
      }
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc != null ? [var.vpc] : []

    content {
      subnets            = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}
