resource "alicloud_ram_security_preference" "legacy_off" {
  enable_save_mfa_ticket = false
  enforce_mfa_for_login  = false # expect: MFA024@alicloud_ram_security_preference.legacy_off
}

resource "alicloud_ram_security_preference" "unset" { # expect: MFA024@alicloud_ram_security_preference.unset
  allow_user_to_change_password = true
}

resource "alicloud_ram_security_preference" "adaptive" {
  mfa_operation_for_login = "adaptive" # expect: MFA024@alicloud_ram_security_preference.adaptive
}

resource "alicloud_ram_security_preference" "legacy_on" {
  enforce_mfa_for_login = true
}

resource "alicloud_ram_security_preference" "mandatory" {
  mfa_operation_for_login = "mandatory"
}

# The newer argument decides when both are set.
resource "alicloud_ram_security_preference" "conflict" {
  enforce_mfa_for_login   = true
  mfa_operation_for_login = "independent" # expect: MFA024@alicloud_ram_security_preference.conflict
}
