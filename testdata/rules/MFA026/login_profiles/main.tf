# No security preference in this configuration.
resource "alicloud_ram_login_profile" "default" { # expect: MFA026@alicloud_ram_login_profile.default
  user_name = "ops"
  password  = "Initial-Passw0rd"
}

resource "alicloud_ram_login_profile" "off" {
  user_name         = "dev"
  password          = "Initial-Passw0rd"
  mfa_bind_required = false # expect: MFA026@alicloud_ram_login_profile.off
}

resource "alicloud_ram_login_profile" "bound" {
  user_name         = "admin"
  password          = "Initial-Passw0rd"
  mfa_bind_required = true
}
