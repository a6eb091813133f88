provider "aws" {
  region = var.aws.region

  # A plan against the wrong account fails before it reads anything.
  allowed_account_ids = [var.aws.account_id]

  # managed-by = sagespec and sagespec-env = <env> on every aws resource: `sagespec cleanup` finds
  # orphans by these. Each resource adds its own sagespec-spec tag.
  default_tags {
    tags = var.default_tags
  }
}

# awscc has neither default_tags nor allowed_account_ids: tags are passed per resource (see
# main.tf), and its only resources live on endpoints the account-checked aws provider created.
provider "awscc" {
  region = var.aws.region
}
