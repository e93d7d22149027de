# One-line forms: blocks with one attribute, objects and tuples on one line.
locals { single = "value" }
locals { obj = { a = 1, b = { c = [1, 2, { d = "e" }] } } }
resource "null_resource" "x" { triggers = { always = "1" } }
