# No .tofu twin: read as usual.
resource "aws_iam_user" "carol" { # expect: MFA001
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}
