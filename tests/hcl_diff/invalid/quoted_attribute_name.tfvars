# quoted attribute name at top level (the raw seed 000 fragment)
"est-prod-analytics" = {
  instance_type = "m5.2xlarge"
}
