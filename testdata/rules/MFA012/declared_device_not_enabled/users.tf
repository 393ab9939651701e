# The code declares devices for alice and bob; the report says only bob
# enabled his.
resource "aws_iam_user" "alice" { # expect: MFA012@aws_iam_user.alice
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_virtual_mfa_device" "alice" {
  virtual_mfa_device_name = aws_iam_user.alice.name
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_virtual_mfa_device" "bob" {
  virtual_mfa_device_name = aws_iam_user.bob.name
}

# No evidence in code: MFA001 here, MFA011 on the report row.
resource "aws_iam_user" "carol" { # expect: MFA001@aws_iam_user.carol
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}
