resource "aws_iam_user" "gina" { # expect: MFA001
  name = "gina"
}

resource "aws_iam_user_login_profile" "gina" {
  user = aws_iam_user.gina.name
}
