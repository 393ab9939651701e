# Staging.
module "ops" {
  source = "../modules/user"
  name   = "ops"
}
