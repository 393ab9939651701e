resource "snowflake_authentication_policy" "people" {
  database       = "SECURITY"
  schema         = "POLICIES"
  name           = "PEOPLE"
  mfa_enrollment = var.enrollment # expect: MFA030@snowflake_authentication_policy.people
}

resource "snowflake_user" "alice" {
  name        = "ALICE"
  password    = "Example-Passw0rd!"
  disable_mfa = var.disable_mfa # expect: MFA030@snowflake_user.alice
}

variable "enrollment" {
  type = string
}

variable "disable_mfa" {
  type = bool
}

resource "snowflake_user" "bob" {
  name               = "BOB"
  password           = "Example-Passw0rd!"
  mins_to_bypass_mfa = var.bypass_minutes # expect: MFA030@snowflake_user.bob
}

variable "bypass_minutes" {
  type = number
}
