variable "people" {
  type = list(string)
}

resource "aws_iam_user" "this" { # expect: MFA001@module.users.aws_iam_user.this["dan"]
  for_each = toset(var.people)
  name     = each.value
}

resource "aws_iam_user_login_profile" "this" {
  for_each = aws_iam_user.this
  user     = each.value.name
}
