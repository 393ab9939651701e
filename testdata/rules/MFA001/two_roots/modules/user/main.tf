# One module, reached from two root modules (two environments, maybe two
# accounts): one finding per root, each naming its root.
variable "name" {}

resource "aws_iam_user" "this" { # expect: MFA001@module.ops.aws_iam_user.this, MFA001@module.ops.aws_iam_user.this
  name = var.name
}

resource "aws_iam_user_login_profile" "this" {
  user = aws_iam_user.this.name
}
