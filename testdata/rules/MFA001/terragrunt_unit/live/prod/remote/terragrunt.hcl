# A remote module is not read: what it creates is not checked.
terraform {
  source = "git::https://example.com/modules.git//users?ref=v1.0.0" # expect: warning
}
