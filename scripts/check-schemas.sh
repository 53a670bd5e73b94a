#!/usr/bin/env bash
# Regenerates every contract's JSON schema (cosmwasm-schema) and fails if the committed copy
# differs: the schemas in git must always match the messages in the code.
# With --write, only regenerates.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in contracts/*/; do
  if [ -f "$dir/src/bin/schema.rs" ]; then
    name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -n1)
    (cd "$dir" && cargo run --quiet --locked -p "$name" --bin "$name-schema" >/dev/null)
  fi
done
if [ "${1:-}" = "--write" ]; then
  exit 0
fi
if ! git diff --exit-code --stat -- 'contracts/*/schema' || [ -n "$(git ls-files --others --exclude-standard -- 'contracts/*/schema')" ]; then
  echo "check-schemas: committed schemas are stale; run scripts/check-schemas.sh --write and commit" >&2
  exit 1
fi
echo "check-schemas: schemas are up to date"
