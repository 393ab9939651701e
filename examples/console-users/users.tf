# Example: three console users; only bob has a virtual MFA device.
variable "team_prefix" {
  default = "ops"
}

locals {
  carol = "${var.team_prefix}-carol"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user" "carol" {
  name = local.carol
}

resource "aws_iam_user" "deploy" {
  # Programmatic access only: no login profile, so no console and no finding.
  name = "deploy"
}
