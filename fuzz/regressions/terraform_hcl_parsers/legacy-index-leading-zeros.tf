r "t" "n" {
  a = 1
  b = a.00
  c = [x, y]
}
