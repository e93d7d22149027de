# Variable declarations with defaults, validation, locals and outputs.
variable "environment" {
  type        = string
  description = "Deployment environment"
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "Environment must be dev, staging or prod."
  }
}

variable "instance_counts" {
  type = map(number)
  default = {
    web    = 2
    worker = 3
  }
}

variable "tiers" {
  type = list(object({ name = string, max_clients = number }))
  default = [
    { name = "small-business", max_clients = 10 },
    { name = "mid-market", max_clients = 100 },
    { name = "enterprise", max_clients = 1000 },
  ]
}

variable "sensitive_token" {
  type      = string
  sensitive = true
  nullable  = false
  default   = null
}

output "web_ips" {
  value       = aws_instance.web[*].private_ip
  description = "Private IPs"
}
