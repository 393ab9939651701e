resource "aws_iam_user" "judy" {
  name = "judy"
}

resource "aws_iam_user_login_profile" "judy" {
  user = aws_iam_user.judy.name
}

resource "aws_iam_virtual_mfa_device" "judy" {
  virtual_mfa_device_name = "judy"
}

# A device named after someone else is no evidence for kim.
resource "aws_iam_user" "kim" { # expect: MFA001
  name = "kim"
}

resource "aws_iam_user_login_profile" "kim" {
  user = aws_iam_user.kim.name
}

resource "aws_iam_virtual_mfa_device" "not_kim" { # expect: MFA002
  virtual_mfa_device_name = "kimberly"
}
