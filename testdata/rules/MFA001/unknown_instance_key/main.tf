# The users are known; which one the login profile gives a password to is
# not (catherinevee/iam: login profiles keyed by a variable nobody sets).
# The finding stays, at the login profile, and says the key is unknown.
variable "login_profiles" {
  type = map(object({ user_key = string }))
}

resource "aws_iam_user" "this" {
  for_each = { dev = { name = "developer" }, ops = { name = "operator" } }
  name     = each.value.name
}

resource "aws_iam_user_login_profile" "this" { # expect: MFA001@aws_iam_user_login_profile.this
  for_each = var.login_profiles
  user     = aws_iam_user.this[each.value.user_key].name
}
