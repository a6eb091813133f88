output "bucket_name" {
  description = "Name of the artifact bucket (created here or looked up)."
  value       = var.create ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.this[0].id
}

output "bucket_arn" {
  description = "ARN of the artifact bucket."
  value       = var.create ? aws_s3_bucket.this[0].arn : data.aws_s3_bucket.this[0].arn
}

output "bucket_created" {
  description = "Whether this module created (and manages) the bucket."
  value       = var.create
}
