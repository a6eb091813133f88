# The environment's artifact bucket: versioned, SSE-KMS, public access blocked, TLS only, ACLs off.
# With create = false an existing bucket is only looked up; its settings are the owner's business.

data "aws_s3_bucket" "this" {
  count = var.create ? 0 : 1

  bucket = var.bucket_name
}

resource "aws_s3_bucket" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_18:server access logs need a second, log-only bucket per environment that the contract does not have; CloudTrail S3 data events are the audit trail
  #checkov:skip=CKV_AWS_144:artifacts are rebuilt from git and the artifact lock by `sagespec package`; cross-region replication would double storage for no recovery gain
  #checkov:skip=CKV2_AWS_62:nothing consumes object events: the renderer addresses artifacts by digest, deployments are driven by git
  bucket        = var.bucket_name
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[count.index].id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-KMS always: the environment's key when set, else the AWS managed key aws/s3 (no key to manage;
# its key policy lets principals of this account use it through S3). Bucket keys cut KMS requests.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[count.index].id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[count.index].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[count.index].id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

# Deny every request that is not over TLS 1.2+. A Deny on s3:* is the documented pattern:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
data "aws_iam_policy_document" "tls_only" {
  count = var.create ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[count.index].arn, "${aws_s3_bucket.this[count.index].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyOutdatedTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[count.index].arn, "${aws_s3_bucket.this[count.index].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[count.index].id
  policy = data.aws_iam_policy_document.tls_only[count.index].json

  # S3 rejects concurrent configuration changes on one bucket; apply the policy last.
  depends_on = [aws_s3_bucket_public_access_block.this, aws_s3_bucket_ownership_controls.this]
}
