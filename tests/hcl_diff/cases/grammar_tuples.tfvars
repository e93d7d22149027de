# Tuples: empty, trailing commas, multi-line, nested, of objects.
empty      = []
one        = ["a"]
trailing   = ["a", "b",]
mixed      = [1, "two", 3.0, true, null, false]
multiline  = [
  "x",
  "y"
]
multiline_trailing = [
  "x",
  "y",
]
nested     = [[1, 2], [3, [4, 5]], []]
of_objects = [
  { name = "a", port = 80 },
  {
    name = "b"
    port = 443
  },
]
ports = [80, 443, 8080, 8443]
cidrs = ["10.0.0.0/16", "0.0.0.0/0"]
