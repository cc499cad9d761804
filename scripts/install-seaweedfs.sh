#!/usr/bin/env bash
# Builds SeaweedFS (the S3 store the collector's scale-out tests run against) once, into a cache
# outside the checkout, and prints the binary's path. Idempotent: a cached binary that runs is
# reused. The build is long (about 40 minutes on 2 cores) and runs at low CPU priority.
# Recipe: ../shared/notes/postgres-and-s3.md.
set -euo pipefail

CACHE="${REPRISE_CACHE:-$HOME/.cache/reprise}/seaweedfs"
# The pseudo-version the Go module proxy served on 2026-12-01.
VERSION="v0.0.0-20261109003541-7506e5f91cd6"
BIN="$CACHE/weed-$VERSION"

if [ -x "$BIN" ] && "$BIN" version > /dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time: a second run (another checkout's tests) waits for the first and reuses it.
exec 9> "$CACHE/.lock"
flock 9
if [ -x "$BIN" ] && "$BIN" version > /dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
WRAP="$CACHE/wrap"
rm -rf "$WRAP"
mkdir -p "$WRAP"
cat > "$WRAP/go.mod" <<GOMOD
module local/weedwrap

go 1.26.6

require github.com/seaweedfs/seaweedfs $VERSION

replace github.com/tyler-smith/go-bip39 => github.com/cosmos/go-bip39 v1.0.0
GOMOD
printf '//go:build tools\npackage tools\nimport _ "github.com/seaweedfs/seaweedfs/weed"\n' > "$WRAP/tools.go"
(
  cd "$WRAP"
  echo "install-seaweedfs: building SeaweedFS $VERSION (once; about 40 minutes)" >&2
  nice -n 19 go mod tidy >&2
  nice -n 19 go build -o "$BIN.partial" github.com/seaweedfs/seaweedfs/weed >&2
)
mv "$BIN.partial" "$BIN"
echo "$BIN"
