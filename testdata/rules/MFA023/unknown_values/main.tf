resource "mongodbatlas_organization" "org" {
  name                        = "org"
  org_owner_id                = "6205e5fffff79cde6f"
  multi_factor_auth_required  = var.require_mfa # expect: MFA023@mongodbatlas_organization.org
}

variable "require_mfa" {
  type = bool
}
