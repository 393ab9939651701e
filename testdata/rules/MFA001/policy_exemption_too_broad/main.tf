# The deny exempts iam:CreateAccessKey: without MFA the user can mint access
# keys, which never need MFA. Not enforcement.
resource "aws_iam_user" "ivy" { # expect: MFA001
  name = "ivy"
}

resource "aws_iam_user_login_profile" "ivy" {
  user = aws_iam_user.ivy.name
}

resource "aws_iam_user_policy" "ivy" {
  name = "almost-force-mfa"
  user = aws_iam_user.ivy.name
  policy = jsonencode({
    Statement = [{
      Sid       = "DenyMostWithoutMFA"
      Effect    = "Deny"
      NotAction = ["iam:EnableMFADevice", "iam:CreateVirtualMFADevice", "iam:CreateAccessKey"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
