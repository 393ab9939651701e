# Module calls are values: a `for_each` call is a map of instance objects,
# a `count` call a list, a plain call one object. Every shape below puts
# users into the MFA-enforcing group, except `eve` (filtered out) and the
# `outsiders` (joined to no group).
module "team" {
  for_each = toset(["alice", "bob", "carol", "dave", "eve"])
  source   = "./modules/user"
  name     = each.key
}

module "ops" {
  count  = 2
  source = "./modules/user"
  name   = "ops-${count.index}"
}

module "lead" {
  source = "./modules/user"
  name   = "lead"
}

module "outsiders" {
  count  = 1
  source = "./modules/user"
  name   = "outsider"
}

resource "aws_iam_group" "mfa" {
  name = "mfa"
}

resource "aws_iam_group_policy" "mfa" {
  group = aws_iam_group.mfa.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyWithoutMFA"
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_iam_group_membership" "for_over_map" {
  name  = "for-over-map"
  group = aws_iam_group.mfa.name
  users = [for m in module.team : m.name if m.name != "eve" && m.name != "dave"]
}

resource "aws_iam_group_membership" "values_splat" {
  name  = "values-splat"
  group = aws_iam_group.mfa.name
  users = [values(module.team)[3].user.name] # dave: values are in key order
}

resource "aws_iam_group_membership" "count_splat" {
  name  = "count-splat"
  group = aws_iam_group.mfa.name
  users = length(module.ops) == 2 ? module.ops[*].name : []
}

resource "aws_iam_group_membership" "single" {
  name  = "single"
  group = aws_iam_group.mfa.name
  users = [module.lead.user.name, { for k, m in module.team : k => m.name }["alice"]]
}
