#!/usr/bin/env bash
# The Kotlin suite: builds the host library (release) and the collector, then compiles the
# generated bindings and the facade with Maven and runs the JUnit 5 tests on the JVM through JNA.
# Maven's downloads are cached in ~/.m2. Extra arguments go to Maven (e.g. -Dtest=FfiSafetyTest).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"

# A JDK (17+) and Maven: on the machine image; installed from Debian's packages when missing.
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends maven openjdk-17-jdk-headless >/dev/null
fi

cargo build --quiet --locked --release -p reprise-ffi --lib
cargo build --quiet --locked -p reprise-server --bin reprise

exec mvn -B -ntp -f android/pom.xml clean test \
    -Djna.library.path="$CARGO_TARGET_DIR/release" \
    -Dreprise.collector="$CARGO_TARGET_DIR/debug/reprise" \
    "$@"
