locals {
  # A template read relative to this module, filled per user.
  people = jsondecode(templatefile("${path.module}/people.json.tftpl", { prefix = "team" }))
}

resource "aws_iam_user" "member" { # expect: MFA001@module.team.aws_iam_user.member["team-carol"]
  for_each = toset(local.people)
  name     = each.value
}

resource "aws_iam_user_login_profile" "member" {
  for_each = aws_iam_user.member
  user     = each.value.name
}

# A path outside the scanned folders is never read: the policy stays
# unknown, and so does the user it would name.
resource "aws_iam_user_login_profile" "outside" { # expect: MFA001@module.team.aws_iam_user_login_profile.outside
  user = trimspace(file("/etc/hostname"))
}
