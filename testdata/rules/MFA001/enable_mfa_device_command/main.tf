# MFA enabled by a command in the code. mfalint reads it, never runs it.
resource "aws_iam_user" "jo" {
  name = "jo"
}

resource "aws_iam_user_login_profile" "jo" {
  user = aws_iam_user.jo.name
}

resource "null_resource" "enable_jo_mfa" {
  provisioner "local-exec" {
    command = "aws iam enable-mfa-device --user-name ${aws_iam_user.jo.name} --serial-number arn:aws:iam::123456789012:mfa/jo --authentication-code1 $CODE1 --authentication-code2 $CODE2"
  }
}

resource "aws_iam_user" "kai" {
  name = "kai"
}

resource "aws_iam_user_login_profile" "kai" {
  user = "kai"
}

resource "terraform_data" "enable_kai_mfa" {
  provisioner "local-exec" {
    command = "aws iam enable-mfa-device --user-name kai --serial-number $SERIAL --authentication-code1 $C1 --authentication-code2 $C2"
  }
}

# Another command is no MFA evidence.
resource "aws_iam_user" "lu" { # expect: MFA001
  name = "lu"
}

resource "aws_iam_user_login_profile" "lu" {
  user = aws_iam_user.lu.name
}

resource "null_resource" "notify_lu" {
  provisioner "local-exec" {
    command = "echo created ${aws_iam_user.lu.name}"
  }
}
