# The set of users is only known when Terraform runs; the login profiles
# iterate over the users themselves, so the finding is on the user block.
variable "people" {
  type = map(object({ team = string }))
}

resource "aws_iam_user" "people" { # expect: MFA001@aws_iam_user.people
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

# Covered: devices over the same unknown set.
resource "aws_iam_user" "admins" {
  for_each = var.people
  name     = "admin-${each.key}"
}

resource "aws_iam_user_login_profile" "admins" {
  for_each = aws_iam_user.admins
  user     = each.value.name
}

resource "aws_iam_virtual_mfa_device" "admins" {
  for_each                = aws_iam_user.admins
  virtual_mfa_device_name = each.value.name
}
