#!/usr/bin/env bash
# FFI call costs from Kotlin on the JVM (docs/PERFORMANCE.md, "FFI from Kotlin (JVM)"): one
# 500-node snapshot call and one 32-sample touch batch, medians.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-kotlin.sh -Dreprise.bench=true -Dtest=FfiBenchmark | grep -E 'FFI-BENCH|Tests run:|BUILD|ERROR'
