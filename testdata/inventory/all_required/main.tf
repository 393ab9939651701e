resource "gitlab_group" "engineering" {
  name                              = "engineering"
  path                              = "engineering"
  require_two_factor_authentication = true
}

resource "tfe_organization" "acme" {
  name                     = "acme"
  email                    = "admin@example.com"
  collaborator_auth_policy = "two_factor_mandatory"
}
