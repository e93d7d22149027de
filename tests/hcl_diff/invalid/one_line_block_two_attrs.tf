# one-line block with two attributes
x { a = 1, b = 2 }
