# The only policy's state cannot be evaluated: it does not excuse the
# configuration, which is reported at its first identity.
resource "azuread_user" "alice" { # expect: MFA022@azuread_user.alice
  user_principal_name = "alice@example.com"
  display_name        = "Alice"
}

resource "azuread_conditional_access_policy" "mfa" {
  display_name = "require MFA"
  state        = var.state

  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}

variable "state" {
  type = string
}
