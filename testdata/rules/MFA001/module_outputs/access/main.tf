variable "user_name" {
  type = string
}

resource "aws_iam_user_login_profile" "this" {
  user = var.user_name
}
