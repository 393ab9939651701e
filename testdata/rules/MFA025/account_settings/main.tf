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

# An empty string is not sent by the provider: the account keeps `NONE`.
resource "ibm_iam_account_settings" "empty" {
  mfa = "" # expect: MFA025@ibm_iam_account_settings.empty
}

# Not a documented level: the API would refuse it; no MFA is set.
resource "ibm_iam_account_settings" "typo" {
  mfa = "TOTP_4_ALL" # expect: MFA025@ibm_iam_account_settings.typo
}

resource "ibm_iam_account_settings" "lower_case" {
  mfa = "level2"
}
