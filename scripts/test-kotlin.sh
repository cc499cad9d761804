#!/usr/bin/env bash
# The Kotlin suites: builds the host library (release) and the collector, exports the fixture
# screens (reprise-fixtures' export-fixtures, into $CARGO_TARGET_DIR/fixtures), then with Maven
#  - android/pom.xml: the generated bindings, the facade and the Android layer (src/androidMain,
#    compiled against Robolectric's android-all jar); the JUnit 5 tests of the facade and the
#    Robolectric tests of the Android layer (real framework code, API 35, offline: Robolectric
#    reads its framework jar from ~/.m2);
#  - android/compose/pom.xml: the Compose semantics walker (src/composeMain), compiled and tested
#    against JetBrains Compose for desktop, headless.
# Both talk to the host library through JNA and to the real collector on loopback. Maven's
# downloads (about 1 GB the first time) are cached in ~/.m2; later runs fetch nothing.
# Extra arguments go to Maven for android/pom.xml only (e.g. -Dtest=FfiSafetyTest), and then the
# Compose suite is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"

# A JDK (17+) and Maven: on the machine image; installed from Debian's packages when missing.
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    apt-get -o DPkg::Lock::Timeout=900 update -qq && apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends maven openjdk-17-jdk-headless >/dev/null
fi

cargo build --quiet --locked --release -p reprise-ffi --lib
cargo build --quiet --locked -p reprise-server --bin reprise
# The RICO screens as the core's ViewTree JSON, outside the checkout; the tests decode them
# through the library (viewTreeFromJson) instead of parsing RICO themselves.
fixtures="$CARGO_TARGET_DIR/fixtures"
cargo run --quiet --locked -p reprise-fixtures --bin export-fixtures -- "$fixtures" >/dev/null

native=(-Djna.library.path="$CARGO_TARGET_DIR/release" -Dreprise.collector="$CARGO_TARGET_DIR/debug/reprise"
    -Dreprise.fixtures="$fixtures")
# clean: classes of files deleted since the last run must not linger in android/target.
mvn -B -ntp -f android/pom.xml clean test "${native[@]}" "$@"
if [ $# -eq 0 ]; then
    mvn -B -ntp -f android/compose/pom.xml clean test "${native[@]}"
fi
