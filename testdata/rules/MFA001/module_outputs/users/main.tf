resource "aws_iam_user" "this" { # expect: MFA001@module.users.aws_iam_user.this
  name = "quinn"
}

output "name" {
  value = aws_iam_user.this.name
}
