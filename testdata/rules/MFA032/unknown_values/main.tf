resource "aws_cognito_user_pool" "pool" {
  name              = "pool"
  mfa_configuration = var.mfa # expect: MFA032@aws_cognito_user_pool.pool
}

variable "mfa" {
  type = string
}
