# block comment swallows the newline between attributes
a = 1 /*
*/ b = 2
