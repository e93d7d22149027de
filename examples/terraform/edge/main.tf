# Multi-EC2 with an ALB in front (seeds 001 and 003): edge and backend
# instances, an internet-facing load balancer, a frontend ASG.

variable "project_name" {
  type    = string
  default = "crucible"
}

variable "edge_instance_count" {
  type    = number
  default = 1
}

variable "backend_instance_count" {
  type    = number
  default = 2
}

variable "ha" {
  type    = bool
  default = false
}

locals {
  common_tags = {
    Project = var.project_name
    Managed = "terraform"
  }
}

resource "aws_instance" "edge" {
  count         = var.edge_instance_count
  ami           = var.ami_id
  instance_type = "t3.small"

  tags = merge(local.common_tags, {
    Name     = "${var.project_name}-edge-${count.index}"
    Role     = "edge"
    FetchSSL = "true"
  })

  user_data = templatefile("${path.module}/templates/userdata-edge.sh.tpl", {
    fetch_ssl = true
    services  = ["nginx"]
  })
}

resource "aws_instance" "backend" {
  count         = var.backend_instance_count
  ami           = var.ami_id
  instance_type = "t3.medium"

  root_block_device {
    volume_size = 40
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(local.common_tags, {
    Name = "${var.project_name}-backend-${count.index}"
    Role = "backend"
  })
}

resource "aws_security_group" "alb" {
  name   = "${var.project_name}-alb"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # stackaudit:ignore TF-SSH-OPEN bastion replaced next sprint
  }
}

resource "aws_lb" "main" {
  name               = "${var.project_name}-alb"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.public_subnet_ids
}

resource "aws_lb_target_group" "api" {
  name     = "${var.project_name}-api"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path = "/api/health"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = "443"
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.main.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_launch_template" "frontend" {
  name_prefix   = "${var.project_name}-frontend-"
  image_id      = var.ami_id
  instance_type = var.ha ? "c5.2xlarge" : "t3.large"
  user_data     = base64encode(<<-EOT
    #!/bin/bash
    systemctl enable --now docker
  EOT
  )
}

resource "aws_autoscaling_group" "frontend" {
  name                = "${var.project_name}-frontend-asg"
  vpc_zone_identifier = var.private_subnet_ids
  target_group_arns   = [aws_lb_target_group.api.arn]
  health_check_type   = "ELB"

  min_size         = var.ha ? 2 : 1
  max_size         = var.ha ? 6 : 3
  desired_capacity = var.ha ? 2 : 1

  launch_template {
    id      = aws_launch_template.frontend.id
    version = "$Latest"
  }
}

output "alb_dns_name" {
  value = aws_lb.main.dns_name
}
