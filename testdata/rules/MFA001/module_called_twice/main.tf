# One module, two calls: two users, each with its own address.
module "ops" {
  source = "./modules/console_user"
  name   = "ops-admin"
  mfa    = true
}

module "dev" {
  source = "./modules/console_user"
  name   = "dev-admin"
}

# A disabled call creates nothing.
module "off" {
  source = "./modules/console_user"
  name   = "nobody"
  create = false
}
