module "people" {
  source = "./people"
}

# MFA, or a compliant device instead: MFA is not required.
resource "azuread_conditional_access_policy" "mfa_or_device" {
  display_name = "MFA or compliant device"
  state        = "enabled"
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
    built_in_controls = ["mfa", "compliantDevice"]
  }
}

# MFA for administrators only.
resource "azuread_conditional_access_policy" "admins" {
  display_name = "MFA for admins"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_roles = ["62e90394-69f5-4237-9190-012177145e10"]
    }
  }
  grant_controls {
    operator          = "AND"
    built_in_controls = ["mfa", "compliantDevice"]
  }
}
