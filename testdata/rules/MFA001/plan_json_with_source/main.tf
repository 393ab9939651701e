# The configuration and its plan (plan.json) are scanned together: the
# plan's findings point at these blocks, and each user is reported once.
resource "aws_iam_user" "alice" { # expect: MFA001@aws_iam_user.alice
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

module "users" {
  source = "./users"
  people = ["dan"]
}
