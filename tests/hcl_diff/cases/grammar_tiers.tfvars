# Per-tier limits in the style of seed 002 (small business to enterprise).
tiers = {
  small_business = {
    max_clients       = 10
    instance_type     = "t3.medium"
    monthly_budget    = 250.00
    ha                = false
    backup_retention  = 7
  }
  mid_market = {
    max_clients       = 100
    instance_type     = "m5.large"
    monthly_budget    = 2500.50
    ha                = true
    backup_retention  = 14
  }
  enterprise = {
    max_clients       = 1000
    instance_type     = "m5.4xlarge"
    monthly_budget    = 25000
    ha                = true
    backup_retention  = 35
    dedicated_tenancy = true
  }
}
default_tier = "small_business"
