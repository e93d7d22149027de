# block label with interpolation
resource "aws_${x}" "y" {
}
