resource "aws_iam_virtual_mfa_device" "frank" {
  virtual_mfa_device_name = aws_iam_user.frank.name
}
