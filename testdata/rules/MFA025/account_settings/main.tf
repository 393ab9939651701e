resource "ibm_iam_account_settings" "unset" { # expect: MFA025@ibm_iam_account_settings.unset
  session_expiration_in_seconds = "40000"
}

resource "ibm_iam_account_settings" "none" {
  mfa = "NONE_NO_ROPC" # expect: MFA025@ibm_iam_account_settings.none
}

resource "ibm_iam_account_settings" "totp_for_all" {
  mfa = "TOTP4ALL"
}

resource "ibm_iam_account_settings" "u2f" {
  mfa = local.mfa_level
}

locals {
  mfa_level = "LEVEL3"
}
