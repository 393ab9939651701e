# The user has MFA now; the old exception excuses nothing.
# mfalint:ignore MFA001 reason="waiting for a hardware key" # expect: MFA902
resource "aws_iam_user" "ok" {
  name = "ok"
}

resource "aws_iam_user_login_profile" "ok" {
  user = aws_iam_user.ok.name
}

resource "aws_iam_virtual_mfa_device" "ok" {
  virtual_mfa_device_name = aws_iam_user.ok.name
}
