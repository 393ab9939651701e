# The tfe provider's default policy is "password": no second factor.
resource "tfe_organization" "default" { # expect: MFA029@tfe_organization.default
  name  = "acme-default"
  email = "platform@acme.example"
}

resource "tfe_organization" "password" {
  name                     = "acme-password"
  email                    = "platform@acme.example"
  collaborator_auth_policy = "password" # expect: MFA029@tfe_organization.password
}

resource "tfe_organization" "mandatory" {
  name                     = "acme"
  email                    = "platform@acme.example"
  collaborator_auth_policy = "two_factor_mandatory"
}

variable "policy" {
  type    = string
  default = "two_factor_mandatory"
}

resource "tfe_organization" "by_variable" {
  name                     = "acme-variable"
  email                    = "platform@acme.example"
  collaborator_auth_policy = var.policy
}
