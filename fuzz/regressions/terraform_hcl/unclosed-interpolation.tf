resource "aws_iam_user_login_profile" "x" {
  user = "${"
}
