#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built reprise-ffi library (UniFFI library
# mode: the core's records and enums, from reprise-core's `uniffi` feature, and the bindings'
# object) into the committed locations. Never edit the output: change bindings/, core/ or the
# crates' uniffi.toml and run this again.
#   android/src/generated/kotlin/dev/reprise/internal/{core/reprise_core.kt,ffi/reprise_ffi.kt}
#   ios/Sources/RepriseFFI/{RepriseCore.swift,RepriseFFI.swift}
#   ios/Sources/RepriseFFIFFI/{RepriseCoreFFI.h,RepriseFFIFFI.h,module.modulemap}
# Both are internal: the facades re-export what apps use (Aliases.kt, Aliases.swift).
# Usage: scripts/generate-bindings.sh [OUT_ROOT]   (OUT_ROOT defaults to the checkout; the
# freshness test passes a temporary directory and compares).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"
out="${1:-$PWD}"

cargo build --quiet --locked -p reprise-ffi --lib --bin uniffi-bindgen --bin uniffi-bindgen-swift
lib="$CARGO_TARGET_DIR/debug/libreprise_ffi.so"
[ -f "$lib" ] || lib="$CARGO_TARGET_DIR/debug/libreprise_ffi.dylib"
bindgen="$CARGO_TARGET_DIR/debug/uniffi-bindgen"
bindgen_swift="$CARGO_TARGET_DIR/debug/uniffi-bindgen-swift"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bindgen" generate --library "$lib" --language kotlin --no-format --out-dir "$tmp/kotlin" >/dev/null
# One C module (RepriseFFIFFI) with both crates' headers, for the one Swift module RepriseFFI.
"$bindgen_swift" --swift-sources --headers --modulemap --module-name RepriseFFIFFI \
    --modulemap-filename module.modulemap "$lib" "$tmp/swift" >/dev/null

mkdir -p "$out/android/src/generated/kotlin" "$out/ios/Sources/RepriseFFI" "$out/ios/Sources/RepriseFFIFFI"
rm -rf "$out/android/src/generated/kotlin/dev" "$out"/ios/Sources/RepriseFFI/*.swift "$out"/ios/Sources/RepriseFFIFFI/*
cp -R "$tmp/kotlin/." "$out/android/src/generated/kotlin/"
cp "$tmp"/swift/*.swift "$out/ios/Sources/RepriseFFI/"
cp "$tmp"/swift/*.h "$tmp/swift/module.modulemap" "$out/ios/Sources/RepriseFFIFFI/"
