variable "console_access" {
  default = false
}

resource "aws_iam_user" "leo" {
  name = "leo"
}

# Never created: count is 0 with the default.
resource "aws_iam_user_login_profile" "leo" {
  count = var.console_access ? 1 : 0
  user  = aws_iam_user.leo.name
}
