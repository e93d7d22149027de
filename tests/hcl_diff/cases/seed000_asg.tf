# Potential enhancement for dynamic scaling
resource "aws_autoscaling_group" "client_analytics" {
  for_each = local.active_clients
  
  min_size         = 1
  max_size         = 5
  desired_capacity = 2
  
  # Scale based on CPU or custom metrics
  vpc_zone_identifier = each.value.subnet_ids
}
