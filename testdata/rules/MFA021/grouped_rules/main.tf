# The grouped resource: each `rule` block is a rule of its own (defaults:
# factor_mode "2FA", access "ALLOW", status "ACTIVE").
resource "okta_app_signon_policy_rules" "app" {
  policy_id = "rst1"

  rule {
    name     = "default two factors"
    priority = 1
  }

  rule {
    name        = "one factor"
    priority    = 2
    factor_mode = "1FA" # expect: MFA021@okta_app_signon_policy_rules.app
  }

  rule {
    name        = "one factor, denied"
    priority    = 3
    factor_mode = "1FA"
    access      = "DENY"
  }

  rule {
    name        = "one factor, inactive"
    priority    = 4
    factor_mode = "1FA"
    status      = "INACTIVE"
  }
}
