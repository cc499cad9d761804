#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built reprise-ffi library (UniFFI library
# mode) into the committed locations:
#   android/src/generated/kotlin/dev/reprise/ffi/reprise_ffi.kt
#   ios/Sources/RepriseFFI/RepriseFFI.swift, ios/Sources/RepriseFFIFFI/{RepriseFFIFFI.h,module.modulemap}
# Usage: scripts/generate-bindings.sh [OUT_ROOT]   (OUT_ROOT defaults to the checkout; the
# freshness test passes a temporary directory and compares).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"
out="${1:-$PWD}"

cargo build --quiet --locked -p reprise-ffi --lib --bin uniffi-bindgen
lib="$CARGO_TARGET_DIR/debug/libreprise_ffi.so"
[ -f "$lib" ] || lib="$CARGO_TARGET_DIR/debug/libreprise_ffi.dylib"
bindgen="$CARGO_TARGET_DIR/debug/uniffi-bindgen"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bindgen" generate --library "$lib" --language kotlin --no-format --out-dir "$tmp/kotlin" >/dev/null
"$bindgen" generate --library "$lib" --language swift --no-format --out-dir "$tmp/swift" >/dev/null

mkdir -p "$out/android/src/generated/kotlin" "$out/ios/Sources/RepriseFFI" "$out/ios/Sources/RepriseFFIFFI"
rm -rf "$out/android/src/generated/kotlin/dev"
cp -R "$tmp/kotlin/." "$out/android/src/generated/kotlin/"
cp "$tmp/swift/RepriseFFI.swift" "$out/ios/Sources/RepriseFFI/RepriseFFI.swift"
cp "$tmp/swift/RepriseFFIFFI.h" "$out/ios/Sources/RepriseFFIFFI/RepriseFFIFFI.h"
cp "$tmp/swift/RepriseFFIFFI.modulemap" "$out/ios/Sources/RepriseFFIFFI/module.modulemap"
