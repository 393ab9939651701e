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
