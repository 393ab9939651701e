resource "aws_iam_user" "admin" { # expect: MFA001
  name = var.admin_name
}

resource "aws_iam_user_login_profile" "admin" {
  user = "admin"
}

resource "aws_iam_user" "operator" {
  name = local.operator
}

resource "aws_iam_user_login_profile" "operator" {
  user = "prod-operator"
}

resource "aws_iam_virtual_mfa_device" "operator" {
  virtual_mfa_device_name = "${var.env}-operator"
}

resource "aws_iam_user" "auditor" { # expect: MFA001
  name = local.auditor
}

resource "aws_iam_user_login_profile" "auditor" {
  user = format("%s", "auditor")
}
