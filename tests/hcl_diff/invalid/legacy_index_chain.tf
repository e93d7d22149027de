# chained legacy index
a = var.list.0.1
