variable "console_user" {
  type = string
}

resource "aws_iam_user_login_profile" "someone" { # expect: MFA001
  user = var.console_user
}

data "aws_iam_user" "existing" {
  user_name = "legacy"
}

resource "aws_iam_user_login_profile" "legacy" { # expect: MFA001
  user = data.aws_iam_user.existing.user_name
}
