resource "aws_iam_user_login_profile" "erin" {
  user = aws_iam_user.erin.name
}

resource "aws_iam_user_login_profile" "frank" {
  user = aws_iam_user.frank.id
}
