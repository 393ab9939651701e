# Override files (`override.tf`, `*_override.tf`) are merged into the
# blocks they name after every other file of the module, as Terraform
# merges them: an argument replaces the argument, a local value the local
# of its name.

# Its device is declared here, but `devices_override.tf.json` renames it for
# someone else: no MFA evidence for alice.
resource "aws_iam_user" "alice" { # expect: MFA001
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_virtual_mfa_device" "alice" { # expect: MFA002
  virtual_mfa_device_name = "alice"
}

# Its device is named for nobody here; the override names it for bob.
resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_virtual_mfa_device" "bob" {
  virtual_mfa_device_name = "placeholder"
}

# In the group `staff` here; the override puts carol in the group whose
# policy denies everything without MFA.
locals {
  carol_group = "staff"
}

resource "aws_iam_user" "carol" {
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}

resource "aws_iam_user_group_membership" "carol" {
  user   = aws_iam_user.carol.name
  groups = [local.carol_group]
}

resource "aws_iam_group" "mfa" {
  name = "mfa-enforced"
}

resource "aws_iam_group_policy" "mfa" {
  group = aws_iam_group.mfa.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyAllExceptListedIfNoMFA"
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
