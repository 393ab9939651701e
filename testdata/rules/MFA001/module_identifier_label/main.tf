# A module block whose label is an identifier rather than a string: HCL
# allows both, and Terraform reads them alike. This folder mentions
# nothing checked itself: the pre-filter must still see the call, so that
# the module's users are evaluated with the names given here (it did not:
# the module was evaluated on its own, its `for_each` unknown, one finding
# standing for every instance).
module people {
  source = "./people"
  names  = ["ann"]
}
