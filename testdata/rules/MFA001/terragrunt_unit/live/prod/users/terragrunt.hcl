# A Terragrunt unit: it evaluates ../../../modules/users as a root module,
# with these inputs (and root.hcl's), as `module.terragrunt`.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

locals {
  people = ["alice", "bob", "carol"]
}

dependency "devices" {
  config_path = "../devices"
  mock_outputs = {
    enrolled = ["alice"]
  }
}

terraform {
  source = "../../..//modules/users"
}

inputs = {
  users     = local.people
  mfa_users = dependency.devices.outputs.enrolled
  enforced  = ["carol"]
}
