# Objects: = and :, commas and newlines, quoted and bare keys, nesting.
equals_style = { a = 1, b = 2 }
colon_style  = { "a": 1, "b": 2 }
mixed_style  = { a = 1, "b": 2
  c = 3, d: 4
}
trailing_comma = { x = "y", }
quoted_keys = {
  "with space"  = 1
  "with.dot"    = 2
  "with-dash"   = 3
  "UPPER"       = 4
  "unicode-ké"  = 5
  ""            = 6
}
bare_keys = {
  with-dash = 1
  with_underscore = 2
  CamelCase = 3
}
literal_keys = {
  1    = "one"
  2.5  = "two and a half"
  true = "yes"
}
empty = {}
empty_multiline = {
}
nested = {
  level1 = {
    level2 = {
      level3 = {
        value = "deep"
        list  = [1, [2, [3, [4]]]]
      }
    }
  }
}
clients = {
  acme = { tier = "enterprise", seats = 500, regions = ["us-east-1", "eu-west-1"] }
  beta = { tier = "smb", seats = 12, regions = [] }
}
