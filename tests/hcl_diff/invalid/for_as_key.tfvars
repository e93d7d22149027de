# object key named for
a = { for = 1 }
