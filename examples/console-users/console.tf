resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_user_login_profile" "carol" {
  user = "ops-carol"
}

resource "aws_iam_virtual_mfa_device" "bob" {
  virtual_mfa_device_name = aws_iam_user.bob.name
}
