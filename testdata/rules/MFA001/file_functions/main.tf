# file() and templatefile() are read inside the scanned folders only.
resource "aws_iam_group" "console" {
  name = "console"
}

resource "aws_iam_group_policy" "force_mfa" {
  group  = aws_iam_group.console.name
  policy = file("${path.module}/policies/force-mfa.json")
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_group_membership" "console" {
  name  = "console"
  group = aws_iam_group.console.name
  users = [aws_iam_user.alice.name]
}

module "team" {
  source = "./modules/team"
}
