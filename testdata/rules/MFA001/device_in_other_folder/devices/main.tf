resource "aws_iam_virtual_mfa_device" "rita" {
  virtual_mfa_device_name = "rita"
}
