# Production Environment
environment = "prod"
enable_eks = true
enable_ecs = true
lambda_log_level = "WARN"
