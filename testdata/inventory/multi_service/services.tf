# Other services: settings that govern everyone's sign-in.

resource "gitlab_group" "engineering" {
  name                              = "engineering"
  path                              = "engineering"
  require_two_factor_authentication = true
}

# A subgroup inherits its parent's requirement: not listed.
resource "gitlab_group" "platform" {
  name      = "platform"
  path      = "platform"
  parent_id = gitlab_group.engineering.id
}

resource "tfe_organization" "acme" {
  name                     = "acme"
  email                    = "admin@example.com"
  collaborator_auth_policy = var.tfe_auth_policy
}

variable "tfe_auth_policy" {
  type = string
}

resource "okta_policy_rule_signon" "everyone" {
  policy_id    = "00p1"
  name         = "everyone"
  mfa_required = false
}

# Denies access: lets nobody in, not listed.
resource "okta_policy_rule_signon" "blocked" {
  policy_id = "00p1"
  name      = "blocked"
  access    = "DENY"
}
