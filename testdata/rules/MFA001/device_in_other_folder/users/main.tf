# Another folder is another Terraform module: its device does not count.
resource "aws_iam_user" "rita" { # expect: MFA001
  name = "rita"
}

resource "aws_iam_user_login_profile" "rita" {
  user = aws_iam_user.rita.name
}
