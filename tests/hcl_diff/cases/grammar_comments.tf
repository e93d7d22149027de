# Hash comment at the top
// Slash comment at the top
/* Block comment at the top */
/*
 * Multi-line block comment
 * with several lines
 */
locals {
  a = 1 # trailing hash
  b = 2 // trailing slash
  c = /* inline block */ 3
  d = [
    1, # inside a tuple
    // on its own line
    2, /* before the close */
  ]
  e = {
    # inside an object
    x = "y" // after a value
    /* between elements */
    z = "w"
  }
  f = "not # a comment"
  g = "not // a comment either"
}
# Comment at the end without a trailing newline