# A module that calls itself: a diagnostic at the call, and no hang.
module "again" { # expect: input
  source = "./"
}

resource "aws_iam_user" "rex" { # expect: MFA001
  name = "rex"
}

resource "aws_iam_user_login_profile" "rex" {
  user = aws_iam_user.rex.name
}
