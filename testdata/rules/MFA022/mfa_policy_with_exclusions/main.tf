resource "azuread_user" "alice" {
  user_principal_name = "alice@example.com"
  display_name        = "Alice"
}

resource "azuread_user" "break_glass" {
  user_principal_name = "break-glass@example.com"
  display_name        = "Emergency access"
}

resource "azuread_conditional_access_policy" "require_mfa" {
  display_name = "Require MFA for all users"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
      excluded_users = [azuread_user.break_glass.object_id] # expect: MFA022@azuread_conditional_access_policy.require_mfa
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}
