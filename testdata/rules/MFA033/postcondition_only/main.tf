# Only a postcondition names the attribute (with `self`): the file must
# still be read.
data "github_organization" "org" {
  name = "org"

  lifecycle {
    postcondition {
      condition     = !self.two_factor_requirement_enabled # expect: MFA033@data.github_organization.org
      error_message = "org has 2FA on?"
    }
  }
}
