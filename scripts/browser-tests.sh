#!/usr/bin/env bash
# The devnet's dashboard in a real browser: builds the `tributary` binary, installs
# playwright-core (the driver only; the browser is Debian's Chromium, from scripts/setup.sh)
# and runs tests/browser against a devnet the test starts. Screenshots land in
# target/browser-screenshots (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
for tool in chromium node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser tests: $tool is missing; run scripts/setup.sh" >&2
    exit 1
  fi
done
cargo build --locked -p tributary-cli
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
TRIBUTARY_BIN="$PWD/target/debug/tributary" CHROMIUM="$(command -v chromium)" \
  npm test --prefix tests/browser
