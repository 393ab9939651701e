variable "team" {
  type = string
}

variable "env" {
  type    = string
  default = "dev"
}

# terraform.tfvars sets team and env: the name is "payments-prod-admin".
resource "aws_iam_user" "admin" { # expect: MFA001@aws_iam_user.admin
  name = format("%s-%s-admin", var.team, var.env)
}

resource "aws_iam_user_login_profile" "admin" {
  user = "payments-prod-admin"
}

resource "aws_iam_user" "viewer" {
  name = "${var.team}-viewer"
}

resource "aws_iam_user_login_profile" "viewer" {
  user = aws_iam_user.viewer.name
}

resource "aws_iam_virtual_mfa_device" "viewer" {
  virtual_mfa_device_name = "payments-viewer"
}
