# The user is created in one module, its console access in another,
# linked through a module output.
module "users" {
  source = "./users"
}

module "access" {
  source    = "./access"
  user_name = module.users.name
}
