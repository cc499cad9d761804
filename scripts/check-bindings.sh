#!/usr/bin/env bash
# Fails when the committed Kotlin and Swift bindings differ from what the generator produces now
# (run scripts/generate-bindings.sh and commit the result to fix it).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scripts/generate-bindings.sh "$tmp"
status=0
for path in android/src/generated ios/Sources/RepriseFFI ios/Sources/RepriseFFIFFI; do
    if ! diff -r -q "$path" "$tmp/$path" >/dev/null 2>&1; then
        echo "stale generated bindings in $path:" >&2
        diff -r "$path" "$tmp/$path" | head -40 >&2 || true
        status=1
    fi
done
if [ "$status" -eq 0 ]; then echo "generated bindings are up to date"; fi
exit "$status"
