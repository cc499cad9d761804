#!/usr/bin/env bash
# The browser test: the web player in headless Chromium (Debian's `chromium`, driven by
# `playwright-core` from npm) on the data `reprise-demo --exit` records, then live view on a session
# `live-session` records in real time. web-test/player.test.mjs and live.test.mjs say what they
# check. Installs what is missing: chromium (and node/npm) with apt-get, the pinned playwright-core
# with `npm ci` (npm's cache in ~/.npm). Extra arguments go to the player's node script.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reprise/target}"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get -o DPkg::Lock::Timeout=900 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

(cd web-test && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
cargo build --quiet --locked -p reprise-server --bin reprise -p reprise-examples --bin reprise-demo --bin live-session --bin reprise-seed

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
REPRISE_BIN="$CARGO_TARGET_DIR/debug/reprise" REPRISE_DEMO_BIN="$CARGO_TARGET_DIR/debug/reprise-demo" REPRISE_SEED_BIN="$CARGO_TARGET_DIR/debug/reprise-seed" REPRISE_WORK="$work" CHROMIUM="$(command -v chromium)" \
    node web-test/player.test.mjs "$@"
REPRISE_BIN="$CARGO_TARGET_DIR/debug/reprise" REPRISE_LIVE_BIN="$CARGO_TARGET_DIR/debug/live-session" REPRISE_WORK="$work" CHROMIUM="$(command -v chromium)" \
    node web-test/live.test.mjs
