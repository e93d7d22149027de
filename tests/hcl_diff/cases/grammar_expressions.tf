# Expressions of every kind (kept as expressions, compared as present).
locals {
  reference   = var.region
  deep_ref    = module.vpc.outputs.private_subnets
  indexed     = var.subnets[0]
  indexed_key = var.tags["Name"]
  legacy_idx  = var.subnets.0
  mixed_ref   = aws_instance.web[0].private_ip
  full_splat  = aws_instance.web[*].id
  attr_splat  = aws_instance.web.*.id
  splat_index = var.groups[*].members[0]
  call        = length(var.list)
  nested_call = join(",", concat(var.a, ["x", "y"]))
  expand      = max(var.numbers...)
  call_multi  = merge(
    var.base_tags,
    { Name = "x" },
  )
  arith       = 1 + 2 * 3 - 4 / 2 % 3
  compare     = var.count >= 2 && var.count < 10 || !var.enabled
  equality    = var.env == "prod" != false
  negation    = -var.offset
  not         = !var.flag
  paren       = (1 + 2) * 3
  conditional = var.env == "prod" ? "m5.large" : "t3.micro"
  nested_cond = var.a ? var.b ? 1 : 2 : 3
  for_tuple   = [for s in var.list : upper(s)]
  for_cond    = [for i, s in var.list : "${i}-${s}" if s != ""]
  for_object  = { for k, v in var.map : k => v.id }
  for_group   = { for v in var.items : v.group => v.name... }
  template    = "${var.name}-${var.env}"
  tmpl_only   = "${var.name}"
  directive   = "%{ if var.enabled }on%{ else }off%{ endif }"
  for_dir     = "%{ for s in var.list }${s},%{ endfor }"
  strip       = "a ${~ var.x ~} b"
  heredoc_tpl = <<-EOT
    Hello, ${var.name}!
    %{~ for ip in var.ips ~}
    server ${ip}
    %{~ endfor ~}
  EOT
  object_expr_key = { (var.key) = "value", "${var.prefix}-x" = 1 }
  literal_value = 10
  literal_list  = ["a", 1, true]
}
