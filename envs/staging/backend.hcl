# S3 backend for the staging state: terraform init -backend-config=../envs/staging/backend.hcl (from terraform/).
bucket  = "acme-sagespec-tfstate-staging"
key     = "sagespec/staging/terraform.tfstate"
region  = "us-east-1"
encrypt = true

# S3-native state locking (a .tflock object next to the state), Terraform >= 1.10.
# Older Terraform: remove this line and lock with DynamoDB instead:
#   dynamodb_table = "acme-sagespec-tflock-staging"   # table with a string partition key "LockID"
use_lockfile = true
