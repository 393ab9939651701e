# Public modules that were not downloaded: modelled from their inputs.
module "dev_user" { # expect: MFA001@module.dev_user.aws_iam_user.this[0]
  source = "terraform-aws-modules/iam/aws//modules/iam-user"
  name   = "dev"
}

module "bot_user" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-user"
  name                          = "bot"
  create_iam_user_login_profile = false
}

module "ops_user" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 5.0"
  name    = "ops"
}

# The group module enforces MFA for its users by default: ops is covered.
module "admins" {
  source = "terraform-aws-modules/iam/aws//modules/iam-group"
  name   = "admins"
  users  = [module.ops_user.iam_user_name, "ann"]
}

resource "aws_iam_user_login_profile" "ann" {
  user = "ann"
}

# Enforcement turned off: its members are not covered.
module "readers" {
  source                 = "terraform-aws-modules/iam/aws//modules/iam-group-with-policies"
  name                   = "readers"
  group_users            = ["rob"]
  enable_mfa_enforcement = false
}

resource "aws_iam_user_login_profile" "rob" { # expect: MFA001
  user = "rob"
}
