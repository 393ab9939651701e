a "b" {
  c = 1 # d
  e = {
    f = 1
    g = 2 // h
  }
}
x = <<EOT
a
EOT
