#!/usr/bin/env bash
# Runs every test the repository has. This is the README's test command, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# One shared target directory outside the checkout, so fresh clones (CI) reuse compiled
# dependencies. Set CARGO_TARGET_DIR to build elsewhere.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"

echo "== Rust: unit, integration and property tests, examples and benchmark smoke runs"
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked

echo "== Collector at scale: the collector's tests again on SeaweedFS + PostgreSQL, started on loopback (SeaweedFS is built once into ~/.cache/reprise)"
scripts/scale-backends.sh cargo test --locked -p reprise-server --lib --tests -- --include-ignored

echo "== Crash safety: 1,000 SIGKILLs of recording processes (four lanes), then upload to the real collector"
cargo test --locked -p reprise-fixtures --test crash_safety -- --ignored

echo "== Bindings: the committed Kotlin and Swift sources match what UniFFI generates now"
scripts/check-bindings.sh

echo "== Layering: no import cycle between the modules of the core, the bindings, the collector, the fixtures and the examples"
scripts/check-module-cycles.py core/src bindings/src server/src tests/src examples/src

echo "== Kotlin (JVM): the facade, the Android layer under Robolectric and the Compose walker on Compose desktop, against the real collector"
scripts/test-kotlin.sh

echo "== Swift: the facade and the iOS platform layer (XCTest, fakes from real iOS dumps), against the real collector"
scripts/test-swift.sh

echo "== Example: the scripted session runs end to end"
cargo run --quiet --locked -p reprise-examples --bin scripted-session > /dev/null

echo "== Browser: the web player in headless Chromium on the demo's sessions"
scripts/test-browser.sh

echo "all test suites passed"
