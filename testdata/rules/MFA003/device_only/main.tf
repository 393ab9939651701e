# Covered by a device only: MFA003 (opt-in) reports it.
resource "aws_iam_user" "dan" { # expect: MFA003
  name = "dan"
}

resource "aws_iam_user_login_profile" "dan" {
  user = aws_iam_user.dan.name
}

resource "aws_iam_virtual_mfa_device" "dan" {
  virtual_mfa_device_name = aws_iam_user.dan.name
}

# Device and an enforcing policy: nothing to report.
resource "aws_iam_user" "eli" {
  name = "eli"
}

resource "aws_iam_user_login_profile" "eli" {
  user = aws_iam_user.eli.name
}

resource "aws_iam_virtual_mfa_device" "eli" {
  virtual_mfa_device_name = aws_iam_user.eli.name
}

resource "aws_iam_user_policy" "eli" {
  name = "force-mfa"
  user = aws_iam_user.eli.name
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# No evidence at all: MFA001, not MFA003.
resource "aws_iam_user" "fay" { # expect: MFA001
  name = "fay"
}

resource "aws_iam_user_login_profile" "fay" {
  user = aws_iam_user.fay.name
}
