variable "bucket_name" {
  description = "Name of the artifact bucket (model tarballs, uncompressed weights, async output, data capture)."
  type        = string
}

variable "create" {
  description = "Controls if the bucket is created and managed here; false looks up an existing bucket by name and changes nothing about it."
  type        = bool
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for SSE-KMS; null uses SSE-KMS with the AWS managed key `aws/s3`."
  type        = string
}

variable "tags" {
  description = "Tags for the bucket, on top of the provider's default_tags."
  type        = map(string)
}
