# Compute layer, production environment (seed 004).
environment      = "prod"
aws_region       = "us-east-1"
enable_eks       = true
enable_ecs       = true
lambda_log_level = "WARN"

eks_cluster_version                  = "1.28"
eks_cluster_endpoint_private_access  = true
eks_cluster_endpoint_public_access   = true
eks_cluster_endpoint_public_access_cidrs = ["0.0.0.0/0"]

eks_node_groups = {
  general = {
    instance_types = ["m5.large", "m5.xlarge"]
    scaling_config = {
      desired_size = 3
      max_size     = 10
      min_size     = 1
    }
    capacity_type = "ON_DEMAND"
  }

  spot = {
    instance_types = ["m5.large", "m5.xlarge", "m4.large"]
    scaling_config = {
      desired_size = 0
      max_size     = 20
      min_size     = 0
    }
    capacity_type = "SPOT"
  }
}

ecs_capacity_providers        = ["FARGATE", "FARGATE_SPOT", "EC2"]
ecs_enable_container_insights = true

ecs_services = {
  web-app = {
    task_definition = {
      family = "web-app"
      cpu    = "512"
      memory = "1024"

      containers = [{
        name  = "web"
        image = "nginx:1.25.3"
        portMappings = [{
          containerPort = 80
          protocol      = "tcp"
        }]
      }]
    }

    desired_count = 2

    load_balancer = {
      alb_key          = "main"
      target_group_key = "web"
      container_name   = "web"
      container_port   = 80
    }
  }
}

lambda_functions = {
  api-handler = {
    function_name = "api-handler"
    runtime       = "python3.11"
    handler       = "lambda_function.lambda_handler"
    filename      = "api-handler.zip"
    memory_size   = 256
    timeout       = 30
    environment_variables = {
      ENVIRONMENT = "prod"
      LOG_LEVEL   = "WARN"
    }
  }
}

api_gateway_rest_apis = {
  main = {
    name        = "main-api"
    description = "Main REST API"
    endpoint_configuration = {
      types = ["REGIONAL"]
    }
  }
}
