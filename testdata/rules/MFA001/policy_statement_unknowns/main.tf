# An unknown value spoils only the statements it is in: an explicit deny
# holds whatever the other statements say (hadenlabs/terraform-aws-iam-user
# puts the account id of data.aws_caller_identity in its Allow statements).
data "aws_caller_identity" "self" {}

locals {
  self_service = [
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
  ]
}

# alice: a policy document data source; the Allow holds the unknown
# account id, the Deny is fully known. She passes.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

data "aws_iam_policy_document" "alice" {
  statement {
    sid       = "ManageOwnDevice"
    effect    = "Allow"
    actions   = ["iam:EnableMFADevice"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.self.account_id}:mfa/alice"]
  }

  statement {
    sid         = "DenyWithoutMFA"
    effect      = "Deny"
    not_actions = local.self_service
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_user_policy" "alice" {
  user   = aws_iam_user.alice.name
  policy = data.aws_iam_policy_document.alice.json
}

# bob: the same with jsonencode in a local. He passes.
resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

locals {
  bob_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageOwnDevice"
        Effect   = "Allow"
        Action   = ["iam:EnableMFADevice"]
        Resource = ["arn:aws:iam::${data.aws_caller_identity.self.account_id}:mfa/bob"]
      },
      {
        Sid       = "DenyWithoutMFA"
        Effect    = "Deny"
        NotAction = local.self_service
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

resource "aws_iam_user_policy" "bob" {
  user   = aws_iam_user.bob.name
  policy = local.bob_policy
}

# carol: the deny itself holds the unknown value, so whether it enforces
# is unknown: the finding stays and says which statement.
resource "aws_iam_user" "carol" { # expect: MFA001@aws_iam_user.carol
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}

resource "aws_iam_user_policy" "carol" {
  user = aws_iam_user.carol.name
  policy = jsonencode({
    Statement = [{
      Sid       = "DenyWithoutMFA"
      Effect    = "Deny"
      Action    = "*"
      Resource  = "arn:aws:iam::${data.aws_caller_identity.self.account_id}:*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# A policy document per user, linked per instance: only the admins get
# the deny, so dan fails and erin passes.
variable "team" {
  default = {
    dan  = { admin = false }
    erin = { admin = true }
  }
}

resource "aws_iam_user" "team" { # expect: MFA001@aws_iam_user.team["dan"]
  for_each = var.team
  name     = each.key
}

resource "aws_iam_user_login_profile" "team" {
  for_each = var.team
  user     = aws_iam_user.team[each.key].name
}

data "aws_iam_policy_document" "team" {
  for_each = var.team

  statement {
    sid       = "ReadOwnUser"
    actions   = ["iam:GetUser"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.self.account_id}:user/${each.key}"]
  }

  dynamic "statement" {
    for_each = each.value.admin ? [1] : []
    content {
      sid       = "DenyWithoutMFA"
      effect    = "Deny"
      actions   = ["*"]
      resources = ["*"]
      condition {
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["false"]
      }
    }
  }
}

resource "aws_iam_user_policy" "team" {
  for_each = var.team
  user     = aws_iam_user.team[each.key].name
  policy   = data.aws_iam_policy_document.team[each.key].json
}
