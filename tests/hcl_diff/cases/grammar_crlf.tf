# CRLF line endings throughout.
name = "crlf"
count = 3
list = [
  "a",
  "b",
]
obj = {
  k = "v"
  n = 1
}
doc = <<EOT
line one
line two
EOT
indented = <<-EOT
    first

      second
    EOT
block "x" {
  y = true # comment
}
