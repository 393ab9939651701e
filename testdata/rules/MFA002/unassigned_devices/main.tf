resource "aws_iam_user" "alice" { # expect: MFA001
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

# A typo: the device is tied to nobody, and alice has no MFA.
resource "aws_iam_virtual_mfa_device" "alice" { # expect: MFA002
  virtual_mfa_device_name = "alcie"
}

# Tied by reference: fine.
resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_virtual_mfa_device" "bob" {
  virtual_mfa_device_name = aws_iam_user.bob.name
}

# Tied to a console user declared elsewhere: fine.
resource "aws_iam_user_login_profile" "carol" {
  user = "carol"
}

resource "aws_iam_virtual_mfa_device" "carol" {
  virtual_mfa_device_name = "carol"
}

# Named by a variable without a value: could be anyone's, so no guess.
variable "someone" {
  type = string
}

resource "aws_iam_virtual_mfa_device" "someone" {
  virtual_mfa_device_name = var.someone
}
