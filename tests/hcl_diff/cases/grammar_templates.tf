# Heredoc templates with interpolation and directives next to literals.
resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"

  user_data = <<-EOF
    #!/bin/bash
    echo "env=${var.environment}" > /etc/app.env
    %{ for name, port in var.services ~}
    echo "${name}=${port}" >> /etc/app.env
    %{ endfor ~}
    %{ if var.debug }echo debug%{ else }echo quiet%{ endif }
  EOF

  literal_script = <<-EOF
    #!/bin/bash
    echo "no interpolation here"
    echo "$${HOME} stays literal"
  EOF

  tags = {
    Name = "app-${var.environment}"
    Static = "app"
  }
}
