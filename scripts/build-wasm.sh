#!/usr/bin/env bash
# Builds every contract in contracts/ to wasm into artifacts/, then validates each with
# cosmwasm-check (if installed) and prints its size.
#
# Two ways to build, chosen automatically:
#  1. a rustup toolchain with the wasm32-unknown-unknown target installed: a plain release build;
#  2. otherwise Debian's rustc-web/cargo-web/rust-web-src packages: std is rebuilt from source
#     (-Zbuild-std, enabled on a stable compiler with RUSTC_BOOTSTRAP=1) and linked with rust-lld
#     (from any rustup toolchain) or Debian's wasm-ld.
# Either way the code is compiled for the MVP wasm feature set the CosmWasm VM accepts.
set -euo pipefail
cd "$(dirname "$0")/.."

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
    wasm-opt -Os --signext-lowering "$src_wasm" -o "$OUT/$file"
  else
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
if command -v cosmwasm-check >/dev/null 2>&1; then
  cosmwasm-check "$OUT"/*.wasm || status=1
else
  echo "build-wasm: cosmwasm-check not installed; skipping validation (cargo install cosmwasm-check)" >&2
fi
(cd "$OUT" && sha256sum ./*.wasm > checksums.txt)
exit $status
