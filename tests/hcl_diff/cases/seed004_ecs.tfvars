ecs_capacity_providers = ["FARGATE", "FARGATE_SPOT", "EC2"]
ecs_enable_container_insights = true

ecs_services = {
  web-app = {
    task_definition = {
      family = "web-app"
      cpu    = "512"
      memory = "1024"
      
      containers = [{
        name  = "web"
        image = "nginx:latest"
        portMappings = [{
          containerPort = 80
          protocol     = "tcp"
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
