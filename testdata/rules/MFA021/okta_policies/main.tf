resource "okta_app_signon_policy_rule" "contractors" {
  policy_id   = "rst1"
  name        = "contractors"
  factor_mode = "1FA" # expect: MFA021@okta_app_signon_policy_rule.contractors
}

# Denies access: one factor does not let anyone in.
resource "okta_app_signon_policy_rule" "blocked" {
  policy_id   = "rst1"
  name        = "blocked"
  access      = "DENY"
  factor_mode = "1FA"
}

resource "okta_app_signon_policy_rule" "paused" {
  policy_id   = "rst1"
  name        = "paused"
  status      = "INACTIVE"
  factor_mode = "1FA"
}

# factor_mode defaults to "2FA".
resource "okta_app_signon_policy_rule" "default" {
  policy_id = "rst1"
  name      = "default"
}

resource "okta_policy_mfa" "password_only" { # expect: MFA021@okta_policy_mfa.password_only
  name          = "password only"
  okta_password = { enroll = "REQUIRED" }
  okta_otp      = { enroll = "OPTIONAL" }
}

resource "okta_policy_mfa" "verify" {
  name          = "verify"
  is_oie        = true
  okta_password = { enroll = "REQUIRED" }
  okta_verify   = { enroll = "REQUIRED" }
}

resource "okta_policy_mfa" "external" {
  name = "external"
  external_idps = [
    { enroll = "REQUIRED", id = "idp1" },
  ]
}

resource "okta_policy_mfa" "draft" {
  name          = "draft"
  status        = "INACTIVE"
  okta_password = { enroll = "REQUIRED" }
}
