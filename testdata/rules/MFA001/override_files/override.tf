# Overrides a block no other file declares: Terraform rejects it.
resource "aws_iam_user" "dave" { # expect: input
  name = "dave"
}
