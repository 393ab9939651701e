resource "okta_policy_signon" "org" {
  name   = "org"
  status = "ACTIVE"
}

# Allows access (the default) without MFA (the default).
resource "okta_policy_rule_signon" "default" { # expect: MFA021@okta_policy_rule_signon.default
  policy_id = okta_policy_signon.org.id
  name      = "default"
}

resource "okta_policy_rule_signon" "explicit" {
  policy_id    = okta_policy_signon.org.id
  name         = "explicit"
  access       = "ALLOW"
  mfa_required = false # expect: MFA021@okta_policy_rule_signon.explicit
}

resource "okta_policy_rule_signon" "mfa" {
  policy_id    = okta_policy_signon.org.id
  name         = "mfa"
  mfa_required = true
  mfa_prompt   = "ALWAYS"
}

# Requires MFA but exempts some users: a warning.
resource "okta_policy_rule_signon" "exempt" {
  policy_id      = okta_policy_signon.org.id
  name           = "exempt"
  mfa_required   = true
  users_excluded = ["00u1abcd"] # expect: MFA021@okta_policy_rule_signon.exempt
}

resource "okta_policy_rule_signon" "deny" {
  policy_id = okta_policy_signon.org.id
  name      = "deny"
  access    = "DENY"
}

resource "okta_policy_rule_signon" "inactive" {
  policy_id = okta_policy_signon.org.id
  name      = "inactive"
  status    = "INACTIVE"
}

# The default MFA enrollment policy, read like okta_policy_mfa.
resource "okta_policy_mfa_default" "default" { # expect: MFA021@okta_policy_mfa_default.default
  is_oie = true
  okta_password = {
    enroll = "REQUIRED"
  }
  okta_verify = {
    enroll = "OPTIONAL"
  }
}
