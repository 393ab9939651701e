locals {
  a = templatefile("/dev/zero", {})
  b = file("../../../../etc/passwd")
  c = fileexists(null)
}
resource "aws_iam_user_login_profile" "x" {
  user = "${local.a}${local.b}"
}
