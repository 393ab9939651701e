resource "tfe_organization" "org" {
  name                     = "org"
  email                    = "admin@example.com"
  collaborator_auth_policy = var.auth_policy # expect: MFA029@tfe_organization.org
}

variable "auth_policy" {
  type = string
}
