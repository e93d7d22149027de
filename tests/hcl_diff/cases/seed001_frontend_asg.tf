# Instead of: aws_instance.frontend[count.index]
# Would become: aws_autoscaling_group.frontend
# (the seed elides two values as "[...]" and "(...)"; filled in here)

resource "aws_launch_template" "frontend" {
  name_prefix   = "${var.environment}-frontend-"
  image_id      = var.ami_id
  instance_type = var.prod ? "c5.2xlarge" : "t2.xlarge"
  
  vpc_security_group_ids = [aws_security_group.frontend.id]
  iam_instance_profile { name = var.ssm_instance_profile.name }
  user_data = base64encode(file("${path.module}/userdata-frontend.sh"))
}

resource "aws_autoscaling_group" "frontend" {
  name                = "${var.environment}-frontend-asg"
  vpc_zone_identifier = var.private_subnets[*].id
  target_group_arns   = [var.frontend_target_group_arn]
  health_check_type   = "ELB"
  
  min_size         = var.ha ? 2 : 1
  max_size         = var.ha ? 6 : 3
  desired_capacity = var.ha ? 2 : 1
  
  launch_template {
    id      = aws_launch_template.frontend.id
    version = "$Latest"
  }
}
