# An empty heredoc ends at its first line. hcl-edit took everything up to
# the next line holding the same delimiter into its text, so that the
# login profile below was not read (vendor/hcl-edit/PATCHED.md, fourth
# change).
resource "aws_iam_user" "erin" { # expect: MFA001
  name = "erin"
}

resource "aws_iam_policy" "read_only" {
  name        = "read-only"
  description = <<EOT
EOT
  policy      = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:Get*", Resource = "*" }] })
}

resource "aws_iam_user_login_profile" "erin" {
  user = aws_iam_user.erin.name
}

resource "aws_iam_policy" "notes" {
  name   = "notes"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}]}
EOT
}
