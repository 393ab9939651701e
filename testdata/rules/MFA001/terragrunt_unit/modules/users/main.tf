# Evaluated through the unit only: on its own, `users` has no value.
variable "users" {
  type = list(string)
}

variable "mfa_users" {
  type    = list(string)
  default = []
}

variable "enrolled_devices" {
  type    = list(string)
  default = []
}

variable "enforced" {
  type    = list(string)
  default = []
}

variable "mfa_group" {
  type = string
}

# alice has a device, carol is in the group that enforces MFA, bob has
# neither, and dave's device is named only by the dependency's mocks.
resource "aws_iam_user" "this" { # expect: MFA001@module.terragrunt.aws_iam_user.this["bob"], MFA001@module.terragrunt.aws_iam_user.this["dave"]
  for_each = toset(var.users)
  name     = each.value
}

resource "aws_iam_user_login_profile" "this" {
  for_each = aws_iam_user.this
  user     = each.value.name
}

resource "aws_iam_virtual_mfa_device" "this" {
  for_each                = toset(var.mfa_users)
  virtual_mfa_device_name = each.value
}

resource "aws_iam_virtual_mfa_device" "enrolled" {
  for_each                = toset(var.enrolled_devices)
  virtual_mfa_device_name = each.value
}

resource "aws_iam_group" "mfa" {
  name = var.mfa_group
}

resource "aws_iam_group_membership" "enforced" {
  name  = "enforced"
  group = aws_iam_group.mfa.name
  users = var.enforced
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
