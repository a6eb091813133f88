terraform {
  # >= 1.5: import blocks and the for_each/replace_triggered_by semantics used here.
  # S3-native state locking (use_lockfile in envs/<env>/backend.hcl) needs >= 1.10.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      # >= 6.21: model-less production variants and execution_role_arn on endpoint configurations,
      # needed for inference components.
      source  = "hashicorp/aws"
      version = ">= 6.21, < 7"
    }
    awscc = {
      # awscc_sagemaker_inference_component: the aws provider has no inference component resource.
      source  = "hashicorp/awscc"
      version = ">= 1.0, < 2"
    }
  }

  # Partial configuration: `terraform init -backend-config=../envs/<env>/backend.hcl`.
  backend "s3" {}
}
