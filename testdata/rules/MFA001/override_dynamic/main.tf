# alice is in a group whose policy denies everything without MFA, written
# as a `dynamic "statement"`; override.tf replaces the document's
# statements with a static one, which replaces the dynamic ones too (a
# `dynamic "statement"` is of type `statement` when Terraform merges).
resource "aws_iam_user" "alice" { # expect: MFA001
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_group" "mfa" {
  name = "mfa"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.mfa.name]
}

locals {
  denials = ["deny-without-mfa"]
}

data "aws_iam_policy_document" "mfa" {
  dynamic "statement" {
    for_each = local.denials
    content {
      sid           = "DenyAllExceptListedIfNoMFA"
      effect        = "Deny"
      not_actions   = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"]
      resources     = ["*"]
      condition {
        test     = "BoolIfExists"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["false"]
      }
    }
  }
}

resource "aws_iam_group_policy" "mfa" {
  group  = aws_iam_group.mfa.name
  policy = data.aws_iam_policy_document.mfa.json
}
