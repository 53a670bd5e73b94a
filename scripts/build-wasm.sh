#!/usr/bin/env bash
# Builds every contract in contracts/ to wasm into artifacts/, optimizes each with wasm-opt,
# checks each as a chain checks an upload (the VM's static checks and a compilation, with the
# cosmwasm-vm the wasm engine runs: `check-artifacts`), prints its size and writes
# artifacts/checksums.txt.
#
# Reproducible: paths are remapped (the workspace, cargo's home) so the bytes do not depend on
# where the repository or the registry sit; the toolchain is pinned by the Debian package (or
# the rustup toolchain). `--verify` builds and then fails if the bytes differ from the
# committed artifacts/checksums.txt.
#
# Two ways to build, chosen automatically:
#  1. a rustup toolchain with the wasm32-unknown-unknown target installed: a plain release build;
#  2. otherwise Debian's rustc-web/cargo-web/rust-web-src packages: std is rebuilt from source
#     (-Zbuild-std, enabled on a stable compiler with RUSTC_BOOTSTRAP=1) and linked with rust-lld
#     (from any rustup toolchain) or Debian's wasm-ld.
# Either way the code is compiled for the MVP wasm feature set the CosmWasm VM accepts.
set -euo pipefail
cd "$(dirname "$0")/.."
verify=false
if [ "${1:-}" = "--verify" ]; then verify=true; fi

TARGET=wasm32-unknown-unknown
OUT=artifacts
mkdir -p "$OUT"
contracts=()
for dir in contracts/*/; do
  name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -n1)
  contracts+=("$name")
done
pkgs=()
for c in "${contracts[@]}"; do pkgs+=(-p "$c"); done

# cosmwasm-std 2.x declares the VM imports as plain extern "C" functions; newer rustc no longer
# tells the wasm linker to turn undefined symbols into imports, so ask for it explicitly.
flags="-C target-cpu=mvp -C link-arg=-s -C link-arg=--allow-undefined"
# remap the paths embedded in panic locations, so the bytes do not depend on the checkout
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
flags="$flags --remap-path-prefix=$PWD=/tributary --remap-path-prefix=$cargo_home=/cargo"
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  echo "build-wasm: rustup toolchain with $TARGET"
  RUSTFLAGS="$flags" cargo build --profile wasm --lib --target "$TARGET" --locked \
    --target-dir .wasm-target "${pkgs[@]}"
else
  rustc_bin=/usr/bin/rustc
  cargo_bin=/usr/bin/cargo
  src=/usr/lib/rustlib/src/rust
  if [ ! -x "$rustc_bin" ] || [ ! -x "$cargo_bin" ] || [ ! -d "$src" ]; then
    echo "build-wasm: no $TARGET target and no Debian rustc-web toolchain;" >&2
    echo "  install one: apt-get install rustc-web cargo-web rust-web-src lld" >&2
    exit 1
  fi
  linker=$(ls "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld 2>/dev/null | head -n1 || true)
  [ -n "$linker" ] || linker=$(command -v wasm-ld || true)
  if [ -z "$linker" ]; then
    echo "build-wasm: no wasm linker: apt-get install lld (wasm-ld) or install rustup" >&2
    exit 1
  fi
  echo "build-wasm: Debian $($rustc_bin --version) with -Zbuild-std, linker $linker"
  RUSTC="$rustc_bin" RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$linker" \
    RUSTFLAGS="$flags" "$cargo_bin" build --profile wasm --lib --target "$TARGET" --locked \
    -Zbuild-std=std,panic_abort --target-dir .wasm-target "${pkgs[@]}"
fi

for c in "${contracts[@]}"; do
  file="${c//-/_}.wasm"
  src_wasm=".wasm-target/$TARGET/wasm/$file"
  if command -v wasm-opt >/dev/null 2>&1; then
    # the CosmWasm optimizer's -Os; no --signext-lowering (binaryen 108 lacks it, and an MVP
    # build has no sign-extension operators to lower). Inlining functions that have one caller
    # is capped at 200 instructions: unbounded, binaryen 108 builds functions with more than
    # the 100 locals the VM accepts (the stableswap's reached 105), for 0.5 % of size.
    wasm-opt -Os --one-caller-inline-max-function-size 200 "$src_wasm" -o "$OUT/$file"
  else
    echo "build-wasm: wasm-opt not installed (apt-get install binaryen); artifacts are not optimized" >&2
    cp "$src_wasm" "$OUT/$file"
  fi
done

status=0
for c in "${contracts[@]}"; do
  file="$OUT/${c//-/_}.wasm"
  size=$(stat -c %s "$file")
  printf '%-40s %8d bytes (%d KB)\n' "$file" "$size" $((size / 1024))
  if [ "$size" -gt $((800 * 1024)) ]; then
    echo "  too large: the limit is 800 KB" >&2
    status=1
  fi
done
# the VM's own checks (what cosmwasm-check runs), with the engine's cosmwasm-vm
files=()
for c in "${contracts[@]}"; do files+=("$OUT/${c//-/_}.wasm"); done
cargo run --quiet --locked -p tributary-wasm-engine --bin check-artifacts -- "${files[@]}" || status=1
if $verify; then
  (cd "$OUT" && sha256sum ./*.wasm) > /tmp/tributary-checksums.$$
  if ! diff -u "$OUT/checksums.txt" /tmp/tributary-checksums.$$; then
    echo "build-wasm: the rebuilt artifacts differ from the committed checksums (not reproducible, or the committed artifacts are stale)" >&2
    status=1
  else
    echo "build-wasm: rebuilt artifacts match the committed checksums"
  fi
  rm -f /tmp/tributary-checksums.$$
fi
(cd "$OUT" && sha256sum ./*.wasm > checksums.txt)
exit $status
