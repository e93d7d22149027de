# attributes separated by a comma
a = 1, b = 2
