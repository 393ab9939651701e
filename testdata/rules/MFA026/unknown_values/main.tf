resource "alicloud_ram_user" "alice" {
  name = "alice"
}

resource "alicloud_ram_login_profile" "alice" {
  user_name         = alicloud_ram_user.alice.name
  password          = "Example-Passw0rd!"
  mfa_bind_required = var.bind_mfa # expect: MFA026@alicloud_ram_login_profile.alice
}

variable "bind_mfa" {
  type = bool
}
