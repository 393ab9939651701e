resource "aws_iam_user" "alice" { # expect: MFA001
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}
