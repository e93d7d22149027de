# Standalone compute layer: per-client analytics instances (seed 000).
# Each enabled client gets its own instance, security group, IAM role and
# SSM parameters; analytics_configs overrides the defaults per client.
environment = "production"
aws_region  = "us-east-2"

enabled_clients = ["est-test-a", "est-test-b", "est-test-c"]

client_cidrs = {
  "est-test-a" = ["10.20.1.0/24", "10.20.2.0/24"]
  "est-test-b" = ["10.20.3.0/24", "10.20.4.0/24"]
  "est-test-c" = ["10.20.4.0/25", "10.20.6.0/24"] # overlaps est-test-b
}

analytics_configs = {
  "est-test-a" = {
    instance_type    = "t3.large"
    root_volume_size = 30 # GB
    data_volume_size = 100
  }
  "est-test-c" = {
    instance_type    = "t3.xlarge" # 4 vCPU, 16 GB RAM
    root_volume_size = 40
    data_volume_size = 200
    encrypted        = false
  }
  "est-prod-analytics" = {
    instance_type    = "m5.2xlarge" # 8 vCPU, 32 GB RAM
    root_volume_size = 50
    data_volume_size = 500 # large datasets
  }
}

# Jupyter and the custom app are reachable from the client subnets only...
analytics_ingress_cidrs = ["10.20.0.0/16"]
# ...but SSH was opened "temporarily".
ssh_ingress_cidrs = ["0.0.0.0/0"]
