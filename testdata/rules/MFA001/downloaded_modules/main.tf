# Both calls were downloaded by `terraform init` (.terraform/modules), so
# mfalint evaluates the module's real code, not a model of its inputs.
module "ops" { # expect: MFA001@module.ops.aws_iam_user.this[0]
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 6.0"

  name = "ops"
}

module "ci" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-user"
  version = "~> 6.0"

  name                 = "ci"
  create_login_profile = false
}

# The manifest's entry for this call points outside .terraform/modules: it
# is not followed.
module "escape" {
  source = "git::https://example.com/x.git"
}
