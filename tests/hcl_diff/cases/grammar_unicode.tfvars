# Non-ASCII text in strings, comments and heredocs (columns count characters).
greeting   = "héllo wörld"   # trailing comment after é
cjk        = "東京リージョン"
emoji      = "🚀 launch"
mixed_list = ["α", "β", "γ"]
labels     = { "ключ" = "значение", "clé" = "valeur" }
notes = <<-EOT
    Ünïcödé heredoc
      ✓ indented
  EOT
