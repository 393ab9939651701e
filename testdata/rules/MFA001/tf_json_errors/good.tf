resource "aws_iam_user_login_profile" "ok" { # expect: MFA001
  user = "dave"
}
