# block never closed
resource "a" "b" {
  x = 1
