resource "aws_iam_virtual_mfa_device" "rita" { # expect: MFA002
  virtual_mfa_device_name = "rita"
}
