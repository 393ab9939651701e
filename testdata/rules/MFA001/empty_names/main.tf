# A template of placeholders (cksittech/terraform-templates): names left
# empty link nothing, so the empty device is no evidence for the login
# profile's empty user.
resource "aws_iam_user" "placeholder" {
  name = ""
}

resource "aws_iam_user_login_profile" "placeholder" { # expect: MFA001
  user = ""
}

resource "aws_iam_virtual_mfa_device" "placeholder" {
  virtual_mfa_device_name = ""
}
