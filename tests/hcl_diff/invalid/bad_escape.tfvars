# invalid escape sequence
a = "bad \q escape"
