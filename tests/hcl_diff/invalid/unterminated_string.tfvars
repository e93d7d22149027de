# unterminated quoted string
name = "abc
