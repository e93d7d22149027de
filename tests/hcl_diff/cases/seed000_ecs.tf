# ECS-based scaling for containerized analytics
resource "aws_ecs_service" "client_analytics" {
  for_each = local.active_clients
  
  desired_count = var.analytics_configs[each.key].desired_count
  # Full container orchestration
}
