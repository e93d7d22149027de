# terraform/modules/ec2/main.tf
resource "aws_instance" "edge" {
  count = var.edge_instance_count
  
  tags = {
    Name = "${var.project_name}-edge-${count.index}"
    Role = "edge"
    FetchSSL = "true"
  }
  
  user_data = templatefile("${path.module}/templates/userdata-edge.sh.tpl", {
    fetch_ssl = true
    services = ["nginx"]
  })
}

resource "aws_instance" "backend" {
  count = var.backend_instance_count
  
  tags = {
    Name = "${var.project_name}-backend-${count.index}"
    Role = "backend"
    FetchSSL = "false"
  }
  
  user_data = templatefile("${path.module}/templates/userdata-backend.sh.tpl", {
    fetch_ssl = false
    services = ["api", "workers", "postgres", "redis"]
  })
}
