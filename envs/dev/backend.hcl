# S3 backend for the dev state: terraform init -backend-config=../envs/dev/backend.hcl (from terraform/).
bucket  = "acme-sagespec-tfstate-dev"
key     = "sagespec/dev/terraform.tfstate"
region  = "us-east-1"
encrypt = true

# S3-native state locking (a .tflock object next to the state), Terraform >= 1.10.
# Older Terraform: remove this line and lock with DynamoDB instead:
#   dynamodb_table = "acme-sagespec-tflock-dev"   # table with a string partition key "LockID"
use_lockfile = true
