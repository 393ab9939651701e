# `inputs` built with merge(): not evaluated, so `console` is unknown, not
# its default, and `users` is unknown too: a login profile for users that
# cannot be resolved is reported.
locals {
  common = { users = ["erin"] }
}

terraform {
  source = "../..//modules/u"
}

inputs = merge(local.common, { console = true })
