resource "azuread_user" "alice" { # expect: MFA022@azuread_user.alice
  user_principal_name = "alice@example.com"
  display_name        = "Alice"
}

resource "azuread_application" "portal" {
  display_name = "portal"
}

# Report-only does not enforce anything.
resource "azuread_conditional_access_policy" "trial" {
  display_name = "MFA (report only)"
  state        = "enabledForReportingButNotEnforced"
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
