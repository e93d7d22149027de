eks_cluster_version = "1.28"
eks_cluster_endpoint_private_access = true
eks_cluster_endpoint_public_access = false

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
