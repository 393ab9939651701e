resource "azuread_user" "bob" { # expect: MFA022@module.people.azuread_user.bob
  user_principal_name = "bob@example.com"
  display_name        = "Bob"
}
