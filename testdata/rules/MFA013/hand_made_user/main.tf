resource "aws_iam_user" "alice" {
  name = "alice"
}

# A login profile for a user declared in another configuration.
resource "aws_iam_user_login_profile" "ops" { # expect: MFA001
  user = "ops"
}
