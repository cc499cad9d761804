#!/usr/bin/env bash
# FFI call costs from Swift (docs/PERFORMANCE.md, "FFI from Swift"): one 500-node snapshot call
# and one 32-sample touch batch through the facade, and the capture of 500 fake views (walk + FFI), medians;
# a release build of the root package's RepriseBench.
# Swift comes from the host or the cached trixie root, as in scripts/test-swift.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"
# shellcheck source=swift-env.sh
source scripts/swift-env.sh

cargo build --quiet --locked --release -p reprise-ffi --lib
# The synthetic rows (and the RICO screens) as the core's ViewTree JSON, outside the checkout.
export REPRISE_FIXTURES="$CARGO_TARGET_DIR/fixtures"
cargo run --quiet --locked -p reprise-fixtures --bin export-fixtures -- "$REPRISE_FIXTURES" >/dev/null
swift_setup
lib="$CARGO_TARGET_DIR/release"
export REPRISE_SWIFT_BINDS="$CARGO_TARGET_DIR"
build="${REPRISE_SWIFT_BUILD:-$CARGO_TARGET_DIR/swift-build}"
mkdir -p "$build"
swift_run swift run --package-path . --scratch-path "$build" -c release \
    -Xlinker -L"$lib" -Xlinker -rpath -Xlinker "$lib" RepriseBench
