# unclosed tuple
a = [1, 2
