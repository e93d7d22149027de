# unbalanced template directive
a = "%{ if x }yes"
