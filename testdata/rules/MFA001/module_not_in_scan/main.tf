# A local module whose folder is not in the scan (not copied, excluded, or
# outside the scanned paths): what it creates is not checked, and that is
# said at the call instead of passing in silence.
module "team" { # expect: warning
  source = "./modules/team"
}
