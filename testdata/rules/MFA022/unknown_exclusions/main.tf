# Everyone, every application, MFA: but whom the policy excludes comes from
# a variable with no value, so anyone may be excluded (a warning).
resource "azuread_user" "alice" {
  user_principal_name = "alice@example.com"
  display_name        = "Alice"
}

resource "azuread_conditional_access_policy" "mfa" {
  display_name = "require MFA"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
      excluded_users = var.excluded # expect: MFA022@azuread_conditional_access_policy.mfa
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}

variable "excluded" {
  type = list(string)
}
