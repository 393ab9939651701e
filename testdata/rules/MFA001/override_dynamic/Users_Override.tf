# Not an override file: Terraform compares names case-sensitively, so
# this declares bob like any other file.
resource "aws_iam_user" "bob" { # expect: MFA001
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}
