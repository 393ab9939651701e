# The device is named after the user inside a template: evidence.
resource "aws_iam_user" "ivan" {
  name = "ivan"
}

resource "aws_iam_user_login_profile" "ivan" {
  user = aws_iam_user.ivan.name
}

resource "aws_iam_virtual_mfa_device" "ivan" {
  virtual_mfa_device_name = "${aws_iam_user.ivan.name}-mfa"
}
