# A map of people; every one gets console access, only some get a device.
variable "people" {
  default = {
    ana  = { mfa = true }
    ben  = { mfa = false }
    cleo = { mfa = false }
  }
}

resource "aws_iam_user" "people" { # expect: MFA001@aws_iam_user.people["ben"], MFA001@aws_iam_user.people["cleo"]
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

resource "aws_iam_virtual_mfa_device" "people" {
  for_each                = { for name, person in var.people : name => person if person.mfa }
  virtual_mfa_device_name = aws_iam_user.people[each.key].name
}

# count instances, named with count.index; the device covers only [0].
resource "aws_iam_user" "svc" { # expect: MFA001@aws_iam_user.svc[1]
  count = 2
  name  = format("svc-%d", count.index)
}

resource "aws_iam_user_login_profile" "svc" {
  count = length(aws_iam_user.svc)
  user  = aws_iam_user.svc[count.index].name
}

resource "aws_iam_virtual_mfa_device" "svc0" {
  virtual_mfa_device_name = "svc-0"
}
