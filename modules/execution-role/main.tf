# Least-privilege SageMaker execution role: one inline policy built from a table of statements, each
# present only when the environment uses it (no AWS-managed FullAccess policy, no wildcard action).
# Permissions SageMaker hosting needs: https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms
#
# Conditions, each required by sagespec's plan check (scripts/sagespec/iam_policy_check.py):
# - trust: aws:SourceAccount and aws:SourceArn, so SageMaker can assume the role only on behalf of
#   this account's SageMaker resources (confused deputy prevention; global condition keys:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn);
# - KMS: kms:ViaService, so the key is usable only through S3 and SageMaker in the region
#   (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service);
# - VPC: network interfaces only in the subnets the models run in (ec2:Subnet), created only in those
#   subnets with those security groups (https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html
#   lists the EC2 actions; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
#   the ec2:Subnet key of the network-interface resource).
# No secretsmanager:GetSecretValue: Terraform reads secret values at plan time (modules/sagemaker-model,
# data "aws_secretsmanager_secret_version") and sets them as container environment variables; the
# role never reads a secret.

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  log_group = "arn:${local.partition}:logs:${var.region}:${var.account_id}:log-group:/aws/sagemaker/*"
  ec2       = "arn:${local.partition}:ec2:${var.region}:${var.account_id}"
  subnets   = [for id in var.vpc_subnet_ids : "${local.ec2}:subnet/${id}"]
  groups    = [for id in var.vpc_security_group_ids : "${local.ec2}:security-group/${id}"]
  # The services through which the key may be used: S3 (artifacts) and SageMaker (endpoint volumes).
  kms_via = ["s3.${var.region}.amazonaws.com", "sagemaker.${var.region}.amazonaws.com"]

  # Every statement has the same shape; a statement with no resources is left out of the policy.
  statements = [
    {
      sid        = "EcrPull"
      actions    = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      resources  = var.ecr_repository_arns
      conditions = []
    },
    {
      sid        = "CloudWatchLogs"
      actions    = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      resources  = [local.log_group, "${local.log_group}:log-stream:*"]
      conditions = []
    },
    {
      sid        = "S3ReadArtifacts"
      actions    = ["s3:GetObject"]
      resources  = var.s3_read_object_arns
      conditions = []
    },
    {
      sid        = "S3WriteOutputs"
      actions    = ["s3:AbortMultipartUpload", "s3:PutObject"]
      resources  = var.s3_write_prefix_arns
      conditions = []
    },
    {
      sid        = "AsyncNotifications"
      actions    = ["sns:Publish"]
      resources  = var.sns_topic_arns
      conditions = []
    },
    {
      sid       = "KmsUse"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = var.kms_key_arns
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = local.kms_via
      }]
    },
    {
      # Grants let SageMaker encrypt endpoint volumes with the key; only for AWS resources.
      sid       = "KmsGrantsForSageMaker"
      actions   = ["kms:CreateGrant"]
      resources = var.kms_key_arns
      conditions = [
        {
          test     = "Bool"
          variable = "kms:GrantIsForAWSResource"
          values   = ["true"]
        },
        {
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = local.kms_via
        },
      ]
    },
    {
      # Network interfaces (and their permissions) only in the subnets the models use.
      sid       = "VpcNetworkInterfaces"
      actions   = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"]
      resources = var.vpc_access && length(local.subnets) > 0 ? ["${local.ec2}:network-interface/*"] : []
      conditions = [{
        test     = "ArnEquals"
        variable = "ec2:Subnet"
        values   = local.subnets
      }]
    },
    {
      # CreateNetworkInterface also names the subnet and security groups: exactly the ones in use.
      sid        = "VpcSubnetsAndSecurityGroups"
      actions    = ["ec2:CreateNetworkInterface"]
      resources  = var.vpc_access ? concat(local.subnets, local.groups) : []
      conditions = []
    },
  ]

  # One ListBucket statement per (bucket, prefix), limited to that prefix by the s3:prefix key.
  list_statements = [
    for i, p in var.s3_list_prefixes : {
      sid       = "S3ListWeights${i}"
      actions   = ["s3:ListBucket"]
      resources = [p.bucket_arn]
      conditions = [{
        test     = "StringLike"
        variable = "s3:prefix"
        values   = [p.prefix, "${p.prefix}*"]
      }]
    }
  ]
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "SageMakerAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:sagemaker:${var.region}:${var.account_id}:*"]
    }
  }
}

data "aws_iam_policy_document" "this" {
  # The only statements on "*": these actions support no resource-level permission.
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
  statement {
    sid       = "EcrAuthorizationToken"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # PutMetricData has no resource type; the namespace condition keeps it to SageMaker's own namespaces.
  # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
  statement {
    sid       = "CloudWatchMetrics"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*"]
    }
  }

  dynamic "statement" {
    for_each = var.vpc_access ? ["VpcDescribe"] : []

    content {
      sid       = statement.value
      effect    = "Allow"
      actions   = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = { for s in concat(local.statements, local.list_statements) : s.sid => s if length(s.resources) > 0 }

    content {
      sid       = statement.key
      effect    = "Allow"
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                  = var.name
  description           = "sagespec SageMaker execution role: reads exactly the artifacts and images the rendered specs use"
  assume_role_policy    = data.aws_iam_policy_document.assume_role.json
  force_detach_policies = true
  tags                  = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "sagespec-least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}
