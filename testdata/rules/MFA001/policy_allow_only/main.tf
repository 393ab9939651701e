# An Allow that requires MFA does not enforce it: other policies can still
# grant access without MFA. (Scanners that only look for the condition key
# pass this user.)
resource "aws_iam_user" "cy" { # expect: MFA001
  name = "cy"
}

resource "aws_iam_user_login_profile" "cy" {
  user = aws_iam_user.cy.name
}

resource "aws_iam_user_group_membership" "cy" {
  user   = aws_iam_user.cy.name
  groups = ["admins"]
}

resource "aws_iam_group_policy" "admins" {
  name  = "admin-with-mfa"
  group = "admins"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "*"
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

# A Deny that only covers S3 is not enforcement either.
resource "aws_iam_user" "dee" { # expect: MFA001
  name = "dee"
}

resource "aws_iam_user_login_profile" "dee" {
  user = aws_iam_user.dee.name
}

resource "aws_iam_user_policy" "dee" {
  name = "s3-needs-mfa"
  user = aws_iam_user.dee.name
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Action    = "s3:*"
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
