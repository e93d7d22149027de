# Seed 000, snippet 1: per-client analytics instances. The snippet shows
# entries of the analytics_configs map; wrapped here so the file parses.
analytics_configs = {
  # High-performance analytics client
  "est-prod-analytics" = {
    instance_type      = "m5.2xlarge"       # 8 vCPU, 32 GB RAM
    root_volume_size   = 50                 # GB
    data_volume_size   = 500                # GB - Large datasets
  }

  # Development/testing client
  "est-dev-test" = {
    instance_type      = "t3.medium"        # 2 vCPU, 4 GB RAM
    root_volume_size   = 20                 # GB
    data_volume_size   = 50                 # GB - Minimal storage
  }
}
