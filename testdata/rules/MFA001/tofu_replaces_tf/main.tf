# OpenTofu loads main.tofu instead of this file (same base name), so this
# user is not in the configuration that OpenTofu applies: no finding.
resource "aws_iam_user" "legacy" {
  name = "legacy"
}

resource "aws_iam_user_login_profile" "legacy" {
  user = aws_iam_user.legacy.name
}
