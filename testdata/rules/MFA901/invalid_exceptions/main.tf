# An exception without a reason is refused, and the finding stays.
# mfalint:ignore MFA001 # expect: MFA901
resource "aws_iam_user" "noreason" { # expect: MFA001
  name = "noreason"
}

resource "aws_iam_user_login_profile" "noreason" {
  user = aws_iam_user.noreason.name
}

// mfalint:ignore MFA01 reason="typo in the rule" # expect: MFA901
resource "aws_iam_user" "typo" { # expect: MFA001
  name = "typo"
}

resource "aws_iam_user_login_profile" "typo" {
  user = aws_iam_user.typo.name
}
