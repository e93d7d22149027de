# Implement ASG for frontend servers only
# Keep other services as fixed instances
# Validate scaling behavior and monitoring
