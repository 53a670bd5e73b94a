#!/usr/bin/env bash
# Installs what building and checking Tributary needs on a fresh Debian machine beyond the Rust
# toolchain: a wasm-capable compiler (Debian's rustc-web with std sources and lld, unless a rustup
# wasm32 target is already installed), binaryen's wasm-opt (the artifacts are optimized with it,
# and their committed checksums depend on it), and cargo-fuzz (with a rustup nightly) for the
# bounded fuzz step. The artifacts are checked by the project's own `check-artifacts` (the
# cosmwasm-vm the wasm engine runs), so cosmwasm-check is no longer installed. Chromium, Node.js
# and npm run the dashboard's browser tests (scripts/browser-tests.sh).
# Safe to run again: it skips what is already there.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

have_wasm_target() {
  command -v rustup >/dev/null 2>&1 &&
    rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

if ! have_wasm_target; then
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ] || ! command -v wasm-ld >/dev/null 2>&1; then
    echo "setup: installing Debian's wasm toolchain (rustc-web, cargo-web, rust-web-src, lld)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src lld >/dev/null
  fi
fi

if ! command -v wasm-opt >/dev/null 2>&1; then
  echo "setup: installing binaryen (wasm-opt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq binaryen >/dev/null
fi
# cargo-fuzz for the bounded fuzz step (scripts/fuzz.sh), which needs the rustup nightly toolchain
if command -v rustup >/dev/null 2>&1 && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "setup: installing cargo-fuzz (a couple of minutes on two cores)"
    cargo install --locked --quiet cargo-fuzz
  fi
else
  echo "setup: no rustup nightly toolchain: scripts/fuzz.sh will skip the fuzz targets"
fi
# the dashboard's browser tests: Debian's Chromium, and Node.js with npm for playwright-core
if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium (the dashboard's browser tests)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs and npm (the dashboard's browser tests)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
echo "setup: done"
