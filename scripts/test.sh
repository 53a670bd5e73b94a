#!/usr/bin/env bash
# All the tests. The wasm engine runs the built artifacts, so the contracts are built to wasm
# first (scripts/build-wasm.sh: a no-op when they are current); then the workspace's tests (the
# integration suite on the native engine, the default) and the integration suite once more on
# the wasm engine, where every contract runs in the CosmWasm VM with gas metered; then the
# dashboard in a real browser (Chromium) against a devnet the test starts.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# what a fresh machine lacks for the wasm build (a no-op when it is there)
bash scripts/setup.sh
echo "=== build the contracts to wasm ==="
bash scripts/build-wasm.sh
echo "=== tests (native engine) ==="
cargo test --workspace --locked
echo "=== the integration suite on the wasm engine ==="
TRIBUTARY_ENGINE=wasm cargo test -p tributary-testing --locked
echo "=== the dashboard in a browser (Chromium) ==="
bash scripts/browser-tests.sh
