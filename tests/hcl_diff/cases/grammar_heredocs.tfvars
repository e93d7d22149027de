# Heredocs: plain and indented (<<-) forms, without interpolation.
plain = <<EOT
first line
  indented line
last line
EOT

indented = <<-EOT
    alpha
      beta
    gamma
    EOT

blank_lines = <<-EOT
      one

      two
        
      three
  EOT

tabs = <<-EOT
	tab indented
	  more
	EOT

mixed_ws = <<-EOT
	  tab and spaces
	 less
	EOT

no_indent_marker = <<EOT
  keeps leading spaces
    EOT

empty = <<EOT
EOT

escapes_are_literal = <<EOT
backslash \n stays, "quotes" stay, $${escaped} and %%{escaped}
EOT

custom_marker = <<END_OF_POLICY
{
  "Version": "2012-10-17",
  "Statement": []
}
END_OF_POLICY

list_of_heredocs = [
  <<-A
    one
  A
  ,
  <<B
two
B
]
