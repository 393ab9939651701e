# Provider v4 and v5 forms, each from a variable with no value.
resource "cloudflare_account" "v4" {
  name              = "v4"
  enforce_twofactor = var.enforce # expect: MFA027@cloudflare_account.v4
}

resource "cloudflare_account" "v5" {
  name = "v5"
  settings = { # expect: MFA027@cloudflare_account.v5
    enforce_twofactor = var.enforce
  }
}

variable "enforce" {
  type = bool
}

resource "cloudflare_zero_trust_access_application" "app" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  name       = "app"
  domain     = "app.example.com"

  mfa_config {
    mfa_disabled = var.mfa_off # expect: MFA027@cloudflare_zero_trust_access_application.app
  }
}

variable "mfa_off" {
  type = bool
}
