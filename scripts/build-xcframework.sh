#!/usr/bin/env bash
# Builds ios/RepriseFFI.xcframework, the native library of the Swift package on Apple platforms
# (Package.swift's binary target `RepriseFFIFFI`): the static library for iOS devices (arm64),
# the iOS simulator (arm64 + x86_64, one fat library) and macOS (arm64 + x86_64, for `swift test`
# on a Mac), each with the generated header and modulemap. macOS only (needs Xcode); it has not
# been run on the Linux machines this repository is developed on.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Darwin ]; then
    echo "error: scripts/build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)" >&2
    exit 1
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios-sim aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
    cargo build --locked --release -p reprise-ffi --lib --target "$t"
done
lib() { echo "$CARGO_TARGET_DIR/$1/release/libreprise_ffi.a"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The headers directory of every slice: the generated header and modulemap (module RepriseFFIFFI).
mkdir -p "$work/headers" "$work/ios-sim" "$work/macos"
# Both headers: the modulemap names the core's types' header too.
cp ios/Sources/RepriseFFIFFI/RepriseCoreFFI.h ios/Sources/RepriseFFIFFI/RepriseFFIFFI.h ios/Sources/RepriseFFIFFI/module.modulemap "$work/headers/"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios-sim)" -output "$work/ios-sim/libreprise_ffi.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$work/macos/libreprise_ffi.a"

out=ios/RepriseFFI.xcframework
rm -rf "$out"
xcodebuild -create-xcframework \
    -library "$(lib aarch64-apple-ios)" -headers "$work/headers" \
    -library "$work/ios-sim/libreprise_ffi.a" -headers "$work/headers" \
    -library "$work/macos/libreprise_ffi.a" -headers "$work/headers" \
    -output "$out"
echo "built $out"
# A release (for apps adding the package by URL; not run either): zip it, attach the zip to the
# GitHub release of the tag, and point the root Package.swift's Apple branch at it:
#   (cd ios && zip -qry RepriseFFI.xcframework.zip RepriseFFI.xcframework)
#   swift package compute-checksum ios/RepriseFFI.xcframework.zip
#   .binaryTarget(name: "RepriseFFIFFI", url: ".../releases/download/TAG/RepriseFFI.xcframework.zip", checksum: "...")
# then commit that manifest and tag it.
