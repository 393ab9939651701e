variable "name" {
  type = string
}

variable "mfa" {
  type    = bool
  default = false
}

variable "create" {
  type    = bool
  default = true
}

resource "aws_iam_user" "this" { # expect: MFA001@module.dev.aws_iam_user.this[0]
  count = var.create ? 1 : 0
  name  = var.name
}

resource "aws_iam_user_login_profile" "this" {
  count = var.create ? 1 : 0
  user  = aws_iam_user.this[0].name
}

resource "aws_iam_virtual_mfa_device" "this" {
  count                   = var.create && var.mfa ? 1 : 0
  virtual_mfa_device_name = aws_iam_user.this[0].name
}
