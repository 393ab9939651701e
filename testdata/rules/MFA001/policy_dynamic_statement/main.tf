# Statements from `dynamic` blocks, as terraform-aws-modules/iam's iam-group
# writes its MFA enforcement.
variable "enable_mfa_enforcement" {
  default = true
}

data "aws_iam_policy_document" "group" {
  dynamic "statement" {
    for_each = var.enable_mfa_enforcement ? [1] : []

    content {
      sid         = "DenyAllExceptListedIfNoMFA"
      effect      = "Deny"
      not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
      resources   = ["*"]

      dynamic "condition" {
        for_each = { BoolIfExists = "false" }
        iterator = c
        content {
          test     = c.key
          variable = "aws:MultiFactorAuthPresent"
          values   = [c.value]
        }
      }
    }
  }
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy" "admins" {
  group  = aws_iam_group.admins.name
  policy = data.aws_iam_policy_document.group.json
}

resource "aws_iam_user" "kim" {
  name = "kim"
}

resource "aws_iam_user_login_profile" "kim" {
  user = aws_iam_user.kim.name
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = aws_iam_group.admins.name
  users = [aws_iam_user.kim.name]
}
