# Provider v4: the default is false.
resource "cloudflare_account" "v4_default" { # expect: MFA027@cloudflare_account.v4_default
  name = "acme-default"
}

resource "cloudflare_account" "v4_off" {
  name              = "acme-off"
  enforce_twofactor = false # expect: MFA027@cloudflare_account.v4_off
}

resource "cloudflare_account" "v4_on" {
  name              = "acme-v4"
  enforce_twofactor = true
}

# Provider v5: a `settings` attribute.
resource "cloudflare_account" "v5_on" {
  name = "acme-v5"
  settings = {
    enforce_twofactor = true
  }
}

resource "cloudflare_account" "v5_off" {
  name = "acme-v5-off"
  settings = { # expect: MFA027@cloudflare_account.v5_off
    enforce_twofactor = false
  }
}

# Zero Trust Access with the organization's MFA turned off: a warning.
resource "cloudflare_zero_trust_access_application" "legacy" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  name       = "legacy"
  domain     = "legacy.acme.example"
  mfa_config = { # expect: MFA027@cloudflare_zero_trust_access_application.legacy
    mfa_disabled = true
  }
}

resource "cloudflare_zero_trust_access_application" "admin" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  name       = "admin"
  domain     = "admin.acme.example"
  mfa_config = {
    allowed_authenticators = ["security_key"]
  }
}
