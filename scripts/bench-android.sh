#!/usr/bin/env bash
# Main-thread time of one capture of a 500-view hierarchy under Robolectric (docs/PERFORMANCE.md,
# "Android capture (Robolectric, JVM)"): the walk alone and the walk plus the FFI call, medians and p90.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-kotlin.sh -Dreprise.bench=true -Dtest=CaptureBenchmark | grep -E 'ANDROID-BENCH|Tests run:|BUILD|ERROR'
