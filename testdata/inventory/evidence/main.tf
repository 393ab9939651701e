# hwkey: no MFA in code; the settings file records external evidence (a
# hardware key), which excuses the finding.
resource "aws_iam_user" "hwkey" {
  name = "hwkey"
}

resource "aws_iam_user_login_profile" "hwkey" {
  user = aws_iam_user.hwkey.name
}

# lapsed: its evidence expired, so the finding stands.
resource "aws_iam_user" "lapsed" {
  name = "lapsed"
}

resource "aws_iam_user_login_profile" "lapsed" {
  user = aws_iam_user.lapsed.name
}
