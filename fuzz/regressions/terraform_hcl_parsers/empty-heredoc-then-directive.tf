x = (1 ? <<EOT
EOT : 7 %{})
