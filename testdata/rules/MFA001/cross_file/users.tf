resource "aws_iam_user" "erin" { # expect: MFA001
  name = "erin"
}

resource "aws_iam_user" "frank" {
  name = "frank"
}
