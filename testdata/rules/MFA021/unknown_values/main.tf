# Values that cannot be evaluated never excuse: each is reported.
resource "okta_policy_rule_signon" "session" {
  policy_id    = "00p1"
  name         = "session"
  mfa_required = var.mfa_required # expect: MFA021@okta_policy_rule_signon.session
}

resource "okta_app_signon_policy_rule" "app" {
  policy_id   = "rst1"
  name        = "app"
  factor_mode = var.factor_mode # expect: MFA021@okta_app_signon_policy_rule.app
}

# An unknown status: the rule may be active.
resource "okta_app_signon_policy_rule" "maybe_active" {
  policy_id   = "rst1"
  name        = "maybe-active"
  factor_mode = "1FA"
  status      = var.status # expect: MFA021@okta_app_signon_policy_rule.maybe_active
}

variable "mfa_required" {
  type = bool
}

variable "factor_mode" {
  type = string
}

variable "status" {
  type = string
}

# One required authenticator is enough: another that cannot be evaluated
# does not matter.
resource "okta_policy_mfa" "enough" {
  name        = "enough"
  okta_verify = { enroll = "REQUIRED" }
  google_otp  = { enroll = var.otp_enroll }
}

variable "otp_enroll" {
  type = string
}

# A rule that denies access lets nobody in, whatever its factors.
resource "okta_app_signon_policy_rule" "denied" {
  policy_id = "rst1"
  name      = "denied"
  access    = "DENY"
}

# MFA required, but the exempted users cannot be evaluated: a warning.
resource "okta_policy_rule_signon" "exempting" {
  policy_id      = "00p1"
  name           = "exempting"
  mfa_required   = true
  users_excluded = var.exempt # expect: MFA021@okta_policy_rule_signon.exempting
}

variable "exempt" {
  type = list(string)
}
