# mfalint:ignore MFA001 reason="break-glass account; its hardware key is in the safe" until=2099-12-31
resource "aws_iam_user" "breakglass" { # expect: suppressed:MFA001
  name = "breakglass"
}

resource "aws_iam_user_login_profile" "breakglass" {
  user = aws_iam_user.breakglass.name
}

# An expired exception excuses nothing any more, and says so.
# mfalint:ignore MFA001 reason="migration to SSO" until=2020-01-31 # expect: MFA900
resource "aws_iam_user" "legacy" { # expect: MFA001
  name = "legacy"
}

resource "aws_iam_user_login_profile" "legacy" {
  user = aws_iam_user.legacy.name
}

resource "aws_iam_user" "trailing" { # mfalint:ignore MFA001 reason="shared demo account" # expect: suppressed:MFA001
  name = "trailing"
}

resource "aws_iam_user_login_profile" "trailing" {
  user = aws_iam_user.trailing.name
}
