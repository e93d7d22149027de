# Enable only active clients
enabled_clients = ["active-client-1", "active-client-2"]

# Use cost-effective instance types for development
# (the seed shows this entry on its own; it belongs to analytics_configs)
analytics_configs = {
  "dev-client" = {
    instance_type = "t3.micro"      # Burstable, cost-effective
  }
}
