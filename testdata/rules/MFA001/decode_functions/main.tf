# People listed in YAML and CSV files, read with yamldecode/csvdecode, as
# real repositories do (pnikytynskyi/terraform proj02-iam-users).
locals {
  people  = yamldecode(file("${path.module}/people.yaml")).users
  devices = csvdecode(file("${path.module}/devices.csv"))
}

resource "aws_iam_user" "team" { # expect: MFA001@aws_iam_user.team["john"]
  for_each = toset(local.people[*].username)
  name     = each.value
}

# tom has no console access; john has no device.
resource "aws_iam_user_login_profile" "team" {
  for_each = { for p in local.people : p.username => p if p.console }
  user     = aws_iam_user.team[each.key].name
}

resource "aws_iam_virtual_mfa_device" "team" {
  for_each                = { for d in local.devices : d.user => d }
  virtual_mfa_device_name = each.value.user
}
