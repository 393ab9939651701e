# A Terragrunt unit: it evaluates ../../../modules/users as a root module,
# with these inputs (and root.hcl's), as `module.terragrunt`.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

locals {
  people = ["alice", "bob", "carol", "dave"]
}

# The dependency's real outputs are known once it is applied; its mocks
# are placeholders for plans, never evidence.
dependency "devices" {
  config_path = "../devices"
  mock_outputs = {
    enrolled = ["dave"]
  }
}

terraform {
  source = "../../..//modules/users"
}

inputs = {
  users            = local.people
  mfa_users        = ["alice"]
  enrolled_devices = dependency.devices.outputs.enrolled
  enforced         = ["carol"]
}
