# dev has a console password and an MFA device, and CodeCommit
# credentials that sign in without either.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_login_profile" "dev" {
  user = aws_iam_user.dev.name
}

resource "aws_iam_virtual_mfa_device" "dev" {
  virtual_mfa_device_name = aws_iam_user.dev.name
}

resource "aws_iam_service_specific_credential" "dev" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.dev.name # expect: MFA004@aws_iam_service_specific_credential.dev
}

resource "aws_iam_user_ssh_key" "dev" {
  username   = aws_iam_user.dev.name # expect: MFA004@aws_iam_user_ssh_key.dev
  encoding   = "SSH"
  public_key = "ssh-rsa AAAAB3NzaC1yc2E dev@example"
}

# A user without console access may hold Git credentials.
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_service_specific_credential" "ci" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.ci.name
}
