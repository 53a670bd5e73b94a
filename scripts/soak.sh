#!/usr/bin/env bash
# The bounded soak for CI: random sequences across hub, registry, vault, pool and strategy with
# every invariant checked after every step (packages/tributary-testing/src/bin/soak.rs).
#
#   scripts/soak.sh [steps] [seed]      default: $SOAK_STEPS or 15000 steps, seed $SOAK_SEED or 1
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${1:-${SOAK_STEPS:-15000}}"
SEED="${2:-${SOAK_SEED:-1}}"
cargo run --release --locked -p tributary-testing --bin soak -- --steps "$STEPS" --seed "$SEED"
