# missing value
a =
b = 1
