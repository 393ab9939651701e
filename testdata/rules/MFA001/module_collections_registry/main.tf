# The shape seen in real repositories: users from the registry iam-user
# module with `for_each`, put into the registry group module (MFA
# enforcement on by default) through a `for` expression over the call.
# Nothing is downloaded: both modules are modelled from their inputs.
variable "people" {
  default = ["alice", "bob", "mallory"]
}

module "users" { # expect: MFA001@module.users["mallory"].aws_iam_user.this[0]
  source   = "terraform-aws-modules/iam/aws//modules/iam-user"
  version  = "~> 5.0"
  for_each = toset(var.people)
  name     = each.key
}

module "admins" {
  source      = "terraform-aws-modules/iam/aws//modules/iam-group-with-policies"
  version     = "~> 5.0"
  name        = "admins"
  group_users = [for name, u in module.users : u.iam_user_name if name != "mallory"]
}

module "mallory_only" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-group-with-policies"
  version = "~> 5.0"
  name    = "no-mfa"

  group_users                       = [module.users["mallory"].iam_user_name]
  attach_iam_self_management_policy = false
}
