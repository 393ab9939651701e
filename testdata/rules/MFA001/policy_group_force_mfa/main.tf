# The standard "force MFA" policy on a group covers its members.
resource "aws_iam_user" "ana" {
  name = "ana"
}

resource "aws_iam_user_login_profile" "ana" {
  user = aws_iam_user.ana.name
}

resource "aws_iam_group" "console" {
  name = "console"
}

resource "aws_iam_group_membership" "console" {
  name  = "console-members"
  group = aws_iam_group.console.name
  users = [aws_iam_user.ana.name]
}

resource "aws_iam_group_policy" "force_mfa" {
  name  = "force-mfa"
  group = aws_iam_group.console.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AllowManageOwnVirtualMFADevice",
          "Effect": "Allow",
          "Action": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"],
          "Resource": "*"
        },
        {
          "Sid": "DenyAllExceptListedIfNoMFA",
          "Effect": "Deny",
          "NotAction": [
            "iam:CreateVirtualMFADevice",
            "iam:EnableMFADevice",
            "iam:GetUser",
            "iam:ListMFADevices",
            "iam:ListVirtualMFADevices",
            "iam:ResyncMFADevice",
            "sts:GetSessionToken"
          ],
          "Resource": "*",
          "Condition": {
            "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}
          }
        }
      ]
    }
  EOT
}

# Not in the group: still a finding.
resource "aws_iam_user" "bo" { # expect: MFA001
  name = "bo"
}

resource "aws_iam_user_login_profile" "bo" {
  user = aws_iam_user.bo.name
}
