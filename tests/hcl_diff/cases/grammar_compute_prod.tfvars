# Compute layer for production, in the style of seed 004.
environment      = "prod"
aws_region       = "us-east-1"
enable_eks       = true
enable_ecs       = true
enable_lambda    = true
lambda_log_level = "WARN"

eks_node_groups = {
  general = {
    instance_types = ["m5.xlarge", "m5.2xlarge"]
    scaling_config = { desired_size = 6, max_size = 30, min_size = 3 }
    capacity_type  = "ON_DEMAND"
    disk_size      = 100
    labels         = { workload = "general" }
  }
  gpu = {
    instance_types = ["g5.xlarge"]
    scaling_config = { desired_size = 0, max_size = 4, min_size = 0 }
    capacity_type  = "ON_DEMAND"
    taints = [
      { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" },
    ]
  }
}

ecs_services = {
  api = {
    cpu            = 1024
    memory         = 2048
    desired_count  = 4
    autoscaling    = { min = 4, max = 20, target_cpu = 60.5 }
    health_check   = { path = "/health", interval = 30, healthy_threshold = 2 }
    secrets        = ["DB_PASSWORD", "API_KEY"]
  }
}

lambda_functions = {
  thumbnailer = {
    runtime     = "nodejs20.x"
    memory_size = 1536
    timeout     = 900
    reserved_concurrent_executions = -1
  }
}
