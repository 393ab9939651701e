resource "mongodbatlas_organization" "default" { # expect: MFA023@mongodbatlas_organization.default
  org_owner_id = "6205e5fffff79cde6f"
  name         = "default"
  role_names   = ["ORG_OWNER"]
}

resource "mongodbatlas_organization" "relaxed" {
  org_owner_id               = "6205e5fffff79cde6f"
  name                       = "relaxed"
  role_names                 = ["ORG_OWNER"]
  multi_factor_auth_required = false # expect: MFA023@mongodbatlas_organization.relaxed
}

resource "mongodbatlas_organization" "strict" {
  org_owner_id               = "6205e5fffff79cde6f"
  name                       = "strict"
  role_names                 = ["ORG_OWNER"]
  multi_factor_auth_required = true
}
