resource "alicloud_ram_security_preference" "account" {
  mfa_operation_for_login = var.mfa_for_login # expect: MFA024@alicloud_ram_security_preference.account
}

variable "mfa_for_login" {
  type = string
}
