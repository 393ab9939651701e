resource "ibm_iam_account_settings" "account" {
  mfa = var.mfa # expect: MFA025@ibm_iam_account_settings.account
}

variable "mfa" {
  type = string
}
