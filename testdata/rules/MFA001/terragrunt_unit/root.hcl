# The root configuration every unit includes: its inputs are merged under
# the unit's own.
inputs = {
  mfa_group = "mfa-enforced"
}
