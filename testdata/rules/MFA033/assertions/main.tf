# Asserted by the data source's own postcondition: passes.
data "github_organization" "acme" {
  name = "acme"

  lifecycle {
    postcondition {
      condition     = self.two_factor_requirement_enabled
      error_message = "acme must require 2FA."
    }
  }
}

# Asserted by a check block: passes.
data "github_organization" "beta" {
  name = "beta"
}

check "beta_2fa" {
  assert {
    condition     = data.github_organization.beta.two_factor_requirement_enabled == true
    error_message = "beta must require 2FA."
  }
}

# Asserted false: reported.
data "github_organization" "gamma" {
  name = "gamma"
}

check "gamma_2fa" {
  assert {
    condition     = !data.github_organization.gamma.two_factor_requirement_enabled # expect: MFA033@data.github_organization.gamma
    error_message = "gamma has 2FA on?"
  }
}

# A condition that may hold without 2FA: unknown, reported.
data "github_organization" "delta" {
  name = "delta"
}

check "delta_2fa" {
  assert {
    condition     = data.github_organization.delta.two_factor_requirement_enabled || var.skip_2fa # expect: MFA033@data.github_organization.delta
    error_message = "delta must require 2FA."
  }
}

variable "skip_2fa" {
  type    = bool
  default = false
}

# No assertion: nothing is reported (external evidence proves it).
data "github_organization" "plain" {
  name = "plain"
}

# A data source scoped to its check block.
check "scoped_2fa" {
  data "github_organization" "scoped" {
    name = "scoped"
  }

  assert {
    condition     = data.github_organization.scoped.two_factor_requirement_enabled
    error_message = "scoped must require 2FA."
  }
}

# More than the attribute in the condition: unknown, reported.
data "github_organization" "epsilon" {
  name = "epsilon"

  lifecycle {
    postcondition {
      condition     = self.name == "epsilon" && !self.two_factor_requirement_enabled # expect: MFA033@data.github_organization.epsilon
      error_message = "epsilon"
    }
  }
}
