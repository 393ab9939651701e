resource "aws_iam_user" "hal" {
  name = = "hal" # expect: input
}
