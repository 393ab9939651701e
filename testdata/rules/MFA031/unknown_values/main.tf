resource "auth0_guardian" "tenant" {
  policy = var.mfa_policy # expect: MFA031@auth0_guardian.tenant
  otp    = true
}

variable "mfa_policy" {
  type = string
}
