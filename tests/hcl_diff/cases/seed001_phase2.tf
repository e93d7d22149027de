# Add backend servers to ASG
# Implement proper health checks
# Monitor database connection scaling
