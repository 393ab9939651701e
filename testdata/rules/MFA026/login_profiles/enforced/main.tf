# Another configuration: its security preference makes MFA mandatory for
# every RAM user, so its login profiles pass.
resource "alicloud_ram_security_preference" "account" {
  mfa_operation_for_login = "mandatory"
}

resource "alicloud_ram_login_profile" "ops" {
  user_name = "ops"
  password  = "Initial-Passw0rd"
}
