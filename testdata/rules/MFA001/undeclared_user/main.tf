# The user is managed elsewhere: the finding is at the login profile.
resource "aws_iam_user_login_profile" "pat" { # expect: MFA001
  user = "pat"
}

resource "aws_iam_user_login_profile" "quinn" {
  user = "quinn"
}

resource "aws_iam_virtual_mfa_device" "quinn" {
  virtual_mfa_device_name = "quinn"
}
