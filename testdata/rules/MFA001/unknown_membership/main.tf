# Evidence that cannot be evaluated never excuses a user, and the finding
# names what could not be evaluated instead of claiming no policy applies.
variable "members" {
  type = list(string)
}

variable "ops_group" {
  type = string
}

variable "device_owner" {
  type = string
}

resource "aws_iam_user" "alice" { # expect: MFA001@aws_iam_user.alice
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_group" "mfa" {
  name = "mfa"
}

resource "aws_iam_group_policy" "mfa" {
  group = aws_iam_group.mfa.name
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# Who is in the group is only known when Terraform runs.
resource "aws_iam_group_membership" "mfa" {
  name  = "mfa"
  group = aws_iam_group.mfa.name
  users = var.members
}

# An enforcing policy on a group that cannot be resolved.
resource "aws_iam_group_policy" "ops" {
  group = var.ops_group
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# A device named by an input without a value.
resource "aws_iam_virtual_mfa_device" "someone" {
  virtual_mfa_device_name = var.device_owner
}

# bob is in a group that no scanned code declares, through a membership.
resource "aws_iam_user" "bob" { # expect: MFA001@aws_iam_user.bob
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_user_group_membership" "bob" {
  user   = aws_iam_user.bob.name
  groups = ["managed-elsewhere"]
}
