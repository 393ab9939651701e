variable "users" {
  type    = list(string)
  default = ["alice"]
}

variable "console" {
  type    = bool
  default = false
}

resource "aws_iam_user" "this" {
  for_each = toset(var.users)
  name     = each.value
}

resource "aws_iam_user_login_profile" "this" { # expect: MFA001
  for_each = var.console ? aws_iam_user.this : {}
  user     = each.value.name
}
