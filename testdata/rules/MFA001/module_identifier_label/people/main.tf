variable "names" {}

resource "aws_iam_user" "u" { # expect: MFA001
  for_each = toset(var.names)
  name     = each.key
}

resource "aws_iam_user_login_profile" "p" {
  for_each = aws_iam_user.u
  user     = each.value.name
}
