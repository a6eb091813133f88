variable "name" {
  description = "Name of the IAM role (one per environment, from the rendered `execution_role.name`)."
  type        = string
}

variable "region" {
  description = "AWS region of the environment: scopes the CloudWatch Logs and EC2 ARNs."
  type        = string
}

variable "account_id" {
  description = "AWS account of the environment: scopes the CloudWatch Logs and EC2 ARNs."
  type        = string
}

variable "s3_read_object_arns" {
  description = "Object ARNs (or `prefix/*` ARNs) the models read: model tarballs, uncompressed weight prefixes, async inputs."
  type        = list(string)
}

variable "s3_list_prefixes" {
  description = "Buckets and key prefixes the role may list (uncompressed weights are listed before they are copied)."
  type = list(object({
    bucket_arn = string
    prefix     = string
  }))
}

variable "s3_write_prefix_arns" {
  description = "`prefix/*` ARNs the role may write: async inference output and failure paths, data capture."
  type        = list(string)
}

variable "ecr_repository_arns" {
  description = "ECR repositories the role may pull images from."
  type        = list(string)
}

variable "sns_topic_arns" {
  description = "SNS topics async endpoints publish success and error notifications to."
  type        = list(string)
}

variable "kms_key_arns" {
  description = "KMS keys the role may use for S3 objects and endpoint volumes; empty grants no KMS permission at all."
  type        = list(string)
}

variable "vpc_access" {
  description = "Controls if the role gets the EC2 network-interface permissions models need to run in a VPC."
  type        = bool
}

variable "vpc_subnet_ids" {
  description = "Subnets the models run in: network interfaces may be created and deleted only there."
  type        = list(string)
}

variable "vpc_security_group_ids" {
  description = "Security groups the models use: the only ones a new network interface may get."
  type        = list(string)
}

variable "tags" {
  description = "Tags for the role, on top of the provider's default_tags."
  type        = map(string)
}
