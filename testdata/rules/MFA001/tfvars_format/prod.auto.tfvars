# Loaded after terraform.tfvars: wins.
env = "prod"
