output "role_arn" {
  description = "ARN of the execution role. Available only once its policy is attached, so nothing can use a role that cannot pull or read yet."
  value       = aws_iam_role.this.arn
  depends_on  = [aws_iam_role_policy.this]
}

output "role_name" {
  description = "Name of the execution role."
  value       = aws_iam_role.this.name
}

output "policy_json" {
  description = "The inline least-privilege policy document, for review and tests."
  value       = data.aws_iam_policy_document.this.json
}
