#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/, not committed)
# from the fixtures in testdata/ and, when present, ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")"
shared=../../shared/corpus
seed() { # target, find expression...
  local target=$1; shift
  mkdir -p "corpus/$target"
  for root in ../testdata "$shared"; do
    [ -d "$root" ] || continue
    find "$root" -type f "$@" -size -64k -print0 |
      while IFS= read -r -d '' f; do
        cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
      done
  done
}
seed terraform_hcl -name '*.tf'
seed terraform_hcl_parsers -name '*.tf'
seed terraform_json -name '*.tf.json'
seed terraform_plan -name 'plan*.json'
seed cloudformation_json \( -name '*.json' -o -name '*.template' \) -not -name '*.tf.json'
seed cloudformation_yaml \( -name '*.yaml' -o -name '*.yml' \)
seed serverless -name 'serverless.y*ml'
seed pulumi_yaml \( -name 'Pulumi.y*ml' -o -name 'Main.yaml' \)
seed credential_report -name '*.csv'
seed exception_comments -name '*.tf' -path '*MFA90*'
seed config_file -name '*.toml'
mkdir -p corpus/lsp_framing
printf 'Content-Length: 52\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}' > corpus/lsp_framing/initialized
printf 'Content-Length: 9\r\n\r\n{not jsoContent-Length: 99999\r\n\r\nxx' > corpus/lsp_framing/bad
cat > corpus/config_file/example.toml <<'TOML'
format = "compact"

[rules]
enable = ["MFA003"]
disable = ["MFA002"]
severity = { MFA001 = "warning" }

[[exceptions]]
rule = "MFA001"
address = "aws_iam_user.break_glass"
reason = "break-glass account; hardware key in the safe"
until = "2027-03-31"
TOML
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
