variable "people" {
  type    = set(string)
  default = ["mia", "ned"]
}

variable "contractors" {
  type    = set(string)
  default = ["oli"]
}

# Covered: the device iterates over the same set as the users.
resource "aws_iam_user" "people" {
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = var.people
  user     = aws_iam_user.people[each.key].name
}

resource "aws_iam_virtual_mfa_device" "people" {
  for_each                = var.people
  virtual_mfa_device_name = aws_iam_user.people[each.key].name
}

# Not covered: the device iterates over something else.
resource "aws_iam_user" "contractors" { # expect: MFA001
  for_each = var.contractors
  name     = each.key
}

resource "aws_iam_user_login_profile" "contractors" {
  for_each = var.contractors
  user     = aws_iam_user.contractors[each.key].name
}

resource "aws_iam_virtual_mfa_device" "contractors" { # expect: MFA002
  for_each                = toset(["oli-old"])
  virtual_mfa_device_name = aws_iam_user.contractors[each.key].name
}

# Covered: the device iterates over the user resource itself.
variable "admins" {
  type    = set(string)
  default = ["pia"]
}

resource "aws_iam_user" "admins" {
  for_each = var.admins
  name     = each.key
}

resource "aws_iam_user_login_profile" "admins" {
  for_each = var.admins
  user     = aws_iam_user.admins[each.key].name
}

resource "aws_iam_virtual_mfa_device" "admins" {
  for_each                = aws_iam_user.admins
  virtual_mfa_device_name = aws_iam_user.admins[each.key].name
}
