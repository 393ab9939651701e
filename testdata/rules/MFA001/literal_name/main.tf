resource "aws_iam_user" "bob" { # expect: MFA001
  name = "bob"
}

# Linked by the literal name, not by a reference.
resource "aws_iam_user_login_profile" "bob" {
  user = "bob"
}

resource "aws_iam_user" "dave" {
  name = "dave"
}

resource "aws_iam_user_login_profile" "dave" {
  user = "dave"
}

# The device's name equals dave's name: dave has MFA evidence.
resource "aws_iam_virtual_mfa_device" "dave" {
  virtual_mfa_device_name = "dave"
}
