# A managed policy built from aws_iam_policy_document, attached to a group.
data "aws_iam_policy_document" "force_mfa" {
  statement {
    sid       = "AllowOwnMFA"
    actions   = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices"]
    resources = ["arn:aws:iam::*:mfa/&{aws:username}", "arn:aws:iam::*:user/&{aws:username}"]
  }

  statement {
    sid    = "BlockMostAccessUnlessSignedInWithMFA"
    effect = "Deny"
    not_actions = [
      "iam:ChangePassword",
      "iam:CreateVirtualMFADevice",
      "iam:EnableMFADevice",
      "iam:ListMFADevices",
      "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",
      "sts:GetSessionToken",
    ]
    resources = ["*"]

    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "force_mfa" {
  name   = "force-mfa"
  policy = data.aws_iam_policy_document.force_mfa.json
}

resource "aws_iam_group" "people" {
  name = "people"
}

resource "aws_iam_group_policy_attachment" "force_mfa" {
  group      = aws_iam_group.people.name
  policy_arn = aws_iam_policy.force_mfa.arn
}

variable "people" {
  default = ["eve", "fox"]
}

resource "aws_iam_user" "people" {
  for_each = toset(var.people)
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

resource "aws_iam_user_group_membership" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
  groups   = [aws_iam_group.people.name]
}
