# The name is unknown, but the device is named by the same variable.
variable "user_name" {
  type = string
}

resource "aws_iam_user" "this" {
  name = var.user_name
}

resource "aws_iam_user_login_profile" "this" {
  user = aws_iam_user.this.name
}

resource "aws_iam_virtual_mfa_device" "this" {
  virtual_mfa_device_name = var.user_name
}
