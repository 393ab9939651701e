# MFA is off by default.
resource "aws_cognito_user_pool" "default" { # expect: MFA032@aws_cognito_user_pool.default
  name = "default"
}

resource "aws_cognito_user_pool" "off" {
  name              = "off"
  mfa_configuration = "OFF" # expect: MFA032@aws_cognito_user_pool.off
}

# Only users who set MFA up are asked for it: a warning.
resource "aws_cognito_user_pool" "optional" {
  name              = "optional"
  mfa_configuration = "OPTIONAL" # expect: MFA032@aws_cognito_user_pool.optional
  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "on" {
  name              = "on"
  mfa_configuration = "ON"
  software_token_mfa_configuration {
    enabled = true
  }
}

# Not a value the provider accepts (a placeholder left empty).
resource "aws_cognito_user_pool" "empty" {
  name              = "empty"
  mfa_configuration = "" # expect: MFA032@aws_cognito_user_pool.empty
}
