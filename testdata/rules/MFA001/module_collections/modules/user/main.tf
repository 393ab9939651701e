variable "name" {}

resource "aws_iam_user" "this" { # expect: MFA001@module.outsiders[0].aws_iam_user.this, MFA001@module.team["eve"].aws_iam_user.this
  name = var.name
}

resource "aws_iam_user_login_profile" "this" {
  user = aws_iam_user.this.name
}

output "name" {
  value = aws_iam_user.this.name
}

output "user" {
  value = aws_iam_user.this
}
