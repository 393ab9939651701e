resource "aws_iam_user_group_membership" "each" {
  for_each = [for k, v in {for k, v in ["alice"] : k => [for k, v in "alice" : 79 if "./m"]} : 79 if [for v in "iam:*" : [count.index, 61, "iam:*"]]]
}
# mfalint:ignore MFA001 expires=2001-01-01
resource "aws_iam_user_group_membership" "each" {
  count = [each.value, 67] ? aws_iam_policy.bob + null : { "é" = module.x, "x" = "Allow" }
}
