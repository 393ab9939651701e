# Top-level groups decide 2FA for their subgroups.
resource "gitlab_group" "open" { # expect: MFA020@gitlab_group.open
  name = "open"
  path = "open"
}

resource "gitlab_group" "disabled" {
  name                              = "disabled"
  path                              = "disabled"
  require_two_factor_authentication = false # expect: MFA020@gitlab_group.disabled
}

resource "gitlab_group" "strict" {
  name                              = "strict"
  path                              = "strict"
  require_two_factor_authentication = true
  two_factor_grace_period           = 0
}

# A subgroup inherits the parent's requirement: not reported.
resource "gitlab_group" "team" {
  name      = "team"
  path      = "team"
  parent_id = gitlab_group.strict.id
}

# Known from the variable's default.
resource "gitlab_group" "from_default" {
  name                              = "from-default"
  path                              = "from-default"
  require_two_factor_authentication = var.optional_2fa == "yes" # expect: MFA020@gitlab_group.from_default
}

variable "optional_2fa" {
  default = "no"
}

# Unknown (no default): never a guess, and never an excuse: reported,
# naming the variable.
resource "gitlab_group" "from_input" {
  name                              = "from-input"
  path                              = "from-input"
  require_two_factor_authentication = var.require_2fa # expect: MFA020@gitlab_group.from_input
}

variable "require_2fa" {
  type = bool
}

resource "gitlab_group" "per_team" {
  for_each = toset(["red", "blue"])
  name     = each.key
  path     = each.key
  require_two_factor_authentication = each.key == "red" # expect: MFA020@gitlab_group.per_team["blue"]
}

resource "gitlab_application_settings" "instance" { # expect: MFA020@gitlab_application_settings.instance
  signup_enabled = false
}
