# aws_iam_policy_attachment lists users directly.
resource "aws_iam_policy" "force_mfa" {
  name = "force-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyWithoutMFA"
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { Null = { "aws:MultiFactorAuthAge" = "true" } }
    }]
  })
}

resource "aws_iam_policy_attachment" "force_mfa" {
  name       = "force-mfa"
  users      = [aws_iam_user.gus.name]
  policy_arn = aws_iam_policy.force_mfa.arn
}

resource "aws_iam_user" "gus" {
  name = "gus"
}

resource "aws_iam_user_login_profile" "gus" {
  user = aws_iam_user.gus.name
}

resource "aws_iam_user" "hal" { # expect: MFA001
  name = "hal"
}

resource "aws_iam_user_login_profile" "hal" {
  user = aws_iam_user.hal.name
}

# An AWS-managed policy says nothing about MFA.
resource "aws_iam_user_policy_attachment" "hal" {
  user       = aws_iam_user.hal.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
