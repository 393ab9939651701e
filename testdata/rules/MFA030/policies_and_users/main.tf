resource "snowflake_authentication_policy" "optional" {
  database       = "SECURITY"
  schema         = "POLICIES"
  name           = "OPTIONAL_MFA"
  mfa_enrollment = "OPTIONAL" # expect: MFA030@snowflake_authentication_policy.optional
}

resource "snowflake_authentication_policy" "required" {
  database       = "SECURITY"
  schema         = "POLICIES"
  name           = "PEOPLE"
  mfa_enrollment = "REQUIRED"
}

resource "snowflake_user" "analyst" {
  name        = "ANALYST"
  disable_mfa = true # expect: MFA030@snowflake_user.analyst
}

# A temporary bypass: a warning.
resource "snowflake_user" "onboarding" {
  name               = "ONBOARDING"
  mins_to_bypass_mfa = 30 # expect: MFA030@snowflake_user.onboarding
}

resource "snowflake_user" "engineer" {
  name = "ENGINEER"
}
