# AWS IAM console users, one of each status.

# enforced: a member of a group whose policy denies everything without MFA.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_group" "people" {
  name = "people"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.people.name]
}

resource "aws_iam_group_policy" "force_mfa" {
  name  = "force-mfa"
  group = aws_iam_group.people.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyAllWithoutMFA"
      Effect    = "Deny"
      NotAction = ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# device: a virtual MFA device named for the user, nothing forcing its use.
resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_virtual_mfa_device" "bob" {
  virtual_mfa_device_name = "bob"
}

# none: a console password and nothing else.
resource "aws_iam_user" "carol" {
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}

# excepted: a break-glass account, excused until a date.
# mfalint:ignore MFA001 reason="break-glass account; hardware key in the safe" until=2099-12-31
resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_user_login_profile" "breakglass" {
  user = aws_iam_user.breakglass.name
}

# unknown: the group that may enforce MFA comes from a variable.
resource "aws_iam_user" "dave" {
  name = "dave"
}

resource "aws_iam_user_login_profile" "dave" {
  user = aws_iam_user.dave.name
}

resource "aws_iam_user_group_membership" "dave" {
  user   = aws_iam_user.dave.name
  groups = [var.dave_group]
}

variable "dave_group" {
  type = string
}

# Not listed: no console password.
resource "aws_iam_user" "ci" {
  name = "ci"
}
