# heredoc never closed
a = <<EOT
line
