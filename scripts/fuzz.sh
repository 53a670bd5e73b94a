#!/usr/bin/env bash
# Builds the cargo-fuzz targets in fuzz/ (nightly; into fuzz/target) and runs each for a bounded
# number of inputs, starting from the committed corpus. Fails on any crash (a panic, a broken
# property, a failed call that changed state), leaving the input in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [runs]        runs per target (default: $FUZZ_RUNS or 1000 for the contracts
#                                 target, 20x that for the math targets)
#
# Needs the rustup nightly toolchain and cargo-fuzz (scripts/setup.sh installs cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

RUNS="${1:-${FUZZ_RUNS:-1000}}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED: the rustup nightly toolchain is not installed (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is missing: run scripts/setup.sh (cargo install cargo-fuzz --locked)" >&2
  exit 1
fi

# The code under test forbids `unsafe`; without a sanitizer the targets run several times
# faster. Debug assertions (overflow checks) stay on.
cargo +nightly fuzz build --sanitizer none

for target in stableswap shares contracts; do
  runs="$RUNS"
  if [ "$target" != contracts ]; then runs=$((RUNS * 20)); fi
  mkdir -p "corpus/$target"
  echo "fuzz: $target, $runs runs"
  # a scratch corpus directory first, so new inputs go there and not into the committed one
  scratch="$(mktemp -d)"
  log="$scratch.log"
  status=0
  cargo +nightly fuzz run --sanitizer none "$target" "$scratch" "corpus/$target" -- \
    -runs="$runs" -max_len=2048 -len_control=0 -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec)" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED (exit $status); the input is in fuzz/artifacts/$target/" >&2
    rm -rf "$scratch" "$log"
    exit "$status"
  fi
  rm -rf "$scratch" "$log"
done
echo "fuzz: all targets passed"
