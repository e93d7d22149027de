# Compute layer, development environment (seed 004).
environment      = "dev"
aws_region       = "us-east-1"
enable_eks       = false
enable_ecs       = true
lambda_log_level = "DEBUG"

ecs_capacity_providers        = ["FARGATE", "FARGATE_SPOT"]
ecs_enable_container_insights = false

ecs_services = {
  web-app = {
    task_definition = {
      family = "web-app"
      cpu    = "256"
      memory = "512"

      containers = [{
        name  = "web"
        image = "nginx:latest"
        portMappings = [{
          containerPort = 80
          protocol      = "tcp"
        }]
      }]
    }
    desired_count = 1
  }
}

lambda_functions = {
  api-handler = {
    function_name = "api-handler"
    runtime       = "python3.11"
    handler       = "lambda_function.lambda_handler"
    filename      = "api-handler.zip"
    memory_size   = 128
    timeout       = 30
    environment_variables = {
      ENVIRONMENT = "dev"
      LOG_LEVEL   = "DEBUG"
    }
  }
}

api_gateway_http_apis = {
  fast = {
    name        = "fast-api"
    description = "High-performance HTTP API"
    cors_configuration = {
      allow_origins = ["*"]
      allow_methods = ["GET", "POST", "PUT", "DELETE"]
      allow_headers = ["content-type", "authorization"]
    }
  }
}
