# `no_merge`: root.hcl's inputs are not taken, `console` keeps its default
# (false): no login profile, no finding.
include "root" {
  path           = find_in_parent_folders("root.hcl")
  merge_strategy = "no_merge"
}

terraform {
  source = "../..//modules/u"
}

inputs = {
  users = ["dana"]
}
