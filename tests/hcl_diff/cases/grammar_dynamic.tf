# dynamic blocks and meta-arguments
resource "aws_security_group" "dynamic" {
  name = "dyn"

  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }

  depends_on = [aws_vpc.main]

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags["LastModified"]]
    prevent_destroy       = false
  }
}
