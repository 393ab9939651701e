# A subgroup's parent from a variable with no value may be 0 (top-level):
# not requiring 2FA, it is reported, naming the variable.
resource "gitlab_group" "maybe_top" {
  name      = "maybe-top"
  path      = "maybe-top"
  parent_id = var.parent_id # expect: MFA020@gitlab_group.maybe_top
}

# Wherever it sits, a group that requires 2FA passes.
resource "gitlab_group" "maybe_top_strict" {
  name                              = "maybe-top-strict"
  path                              = "maybe-top-strict"
  parent_id                         = var.parent_id
  require_two_factor_authentication = true
}

variable "parent_id" {
  type = number
}

# A parent from a function over an input may be 0: unknown, reported.
resource "gitlab_group" "looked_up" {
  name      = "looked-up"
  path      = "looked-up"
  parent_id = lookup(var.parents, "looked-up", 0) # expect: MFA020@gitlab_group.looked_up
}

variable "parents" {
  type = map(number)
}
