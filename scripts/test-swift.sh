#!/usr/bin/env bash
# The Swift suite: builds the host library (release) and the collector, exports the fixture
# screens (reprise-fixtures' export-fixtures, into $CARGO_TARGET_DIR/fixtures), then runs the XCTest
# tests of the root Package.swift (ios/: the facade, the platform layer on fakes, against the real collector) with
# `swift test`. Uses a host swift when there is one; otherwise a cached Debian trixie root with
# its swiftlang (scripts/swift-env.sh; the first run builds it, a few minutes). Fails when Swift
# cannot be set up: it never skips. Extra arguments go to `swift test` (e.g. --filter FfiSafetyTests).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"
# shellcheck source=swift-env.sh
source scripts/swift-env.sh

cargo build --quiet --locked --release -p reprise-ffi --lib
cargo build --quiet --locked -p reprise-server --bin reprise
# The RICO screens as the core's ViewTree JSON, outside the checkout; the tests decode them
# through the library (ViewTree(json:)) instead of parsing RICO themselves.
fixtures="$CARGO_TARGET_DIR/fixtures"
cargo run --quiet --locked -p reprise-fixtures --bin export-fixtures -- "$fixtures" >/dev/null

swift_setup
# On Apple platforms the package links the XCFramework (Package.swift), which is built first.
if [ "$(uname -s)" = Darwin ]; then scripts/build-xcframework.sh; fi
lib="$CARGO_TARGET_DIR/release"
export REPRISE_COLLECTOR="$CARGO_TARGET_DIR/debug/reprise"
export REPRISE_FIXTURES="$fixtures"
export REPRISE_SWIFT_BINDS="$CARGO_TARGET_DIR"
# The build products stay outside the checkout (and out of the chroot's way between runs).
build="${REPRISE_SWIFT_BUILD:-$CARGO_TARGET_DIR/swift-build}"
mkdir -p "$build"

swift_run swift test --package-path . --scratch-path "$build" \
    -Xlinker -L"$lib" -Xlinker -rpath -Xlinker "$lib" "$@" 2>&1 | tee "$build/test.log"
status=${PIPESTATUS[0]}
# XCTest's summary line (the last "Executed" line sums up every test).
grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$build/test.log" | tail -1 || true
exit "$status"
