resource "auth0_guardian" "never" {
  policy = "never" # expect: MFA031@auth0_guardian.never
  otp    = true
}

# Adaptive MFA: a warning.
resource "auth0_guardian" "adaptive" {
  policy = "confidence-score" # expect: MFA031@auth0_guardian.adaptive
  otp    = true
}

resource "auth0_guardian" "always" {
  policy = "all-applications"
  webauthn_roaming {
    user_verification = "required"
  }
}
