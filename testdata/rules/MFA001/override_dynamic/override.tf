data "aws_iam_policy_document" "mfa" {
  statement {
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
}
