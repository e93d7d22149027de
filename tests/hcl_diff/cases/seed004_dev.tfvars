# Development Environment
# (the seed shows dev and prod in one block; they are two files)
environment = "dev"
enable_eks = false
enable_ecs = true
lambda_log_level = "DEBUG"
