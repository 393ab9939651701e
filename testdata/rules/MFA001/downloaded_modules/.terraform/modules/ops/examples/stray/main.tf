# Not in the manifest: an upstream example that terraform init downloaded
# with the repository. mfalint must not read it.
resource "aws_iam_user_login_profile" "stray" {
  user = "stray"
}
