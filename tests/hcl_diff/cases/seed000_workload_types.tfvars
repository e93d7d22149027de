# Use instance types that match workload requirements
analytics_configs = {
  # Data science workloads
  "client-data-science" = {
    instance_type = "r5.xlarge"    # Memory-optimized
    data_volume_size = 1000        # Large datasets
  }
  
  # Business intelligence
  "client-business-intel" = {
    instance_type = "c5.large"     # Compute-optimized
    data_volume_size = 200         # Moderate datasets
  }
}
