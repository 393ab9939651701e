# Included by both units below.
inputs = {
  console = true
}
