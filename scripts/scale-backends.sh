#!/usr/bin/env bash
# Starts the collector's scale-out engines on loopback, runs a command against them, and stops
# them whatever happens: a throwaway PostgreSQL 15 cluster (Debian's, /usr/lib/postgresql/15/bin)
# and SeaweedFS (master, volume, filer and S3 gateway in one process; built and cached by
# scripts/install-seaweedfs.sh). Each engine gets free loopback ports; an engine that does not
# start fails the run with its log, never skips it. Recipes: ../shared/notes/postgres-and-s3.md.
#
#   scripts/scale-backends.sh [--only postgres] [COMMAND...]
#
# The command sees REPRISE_TEST_BACKEND=scale, REPRISE_TEST_POSTGRES (a server URL: each test
# makes its own database there) and REPRISE_TEST_S3 (a bucket URL: each test uses its own key
# prefix). Without a command it runs the collector's tests against these engines, those that
# need them (ignored in a plain `cargo test`) included.
# `--only postgres` starts PostgreSQL alone (REPRISE_TEST_BACKEND=postgres), for the index's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

ONLY=""
if [ "${1:-}" = "--only" ]; then
  ONLY="$2"
  shift 2
fi
if [ $# -eq 0 ]; then
  set -- cargo test --locked -p reprise-server --lib --tests -- --include-ignored
fi

PG_BIN="${REPRISE_PG_BIN:-/usr/lib/postgresql/15/bin}"
WORK=$(mktemp -d /tmp/reprise-scale.XXXXXX)
chmod 755 "$WORK"
PG_DATA="$WORK/pg"
WEED_DATA="$WORK/weed"
WEED_PID=""
PG_STARTED=""

fail() {
  echo "scale-backends: $*" >&2
  exit 1
}

stop_all() {
  local status=$?
  if [ -n "$WEED_PID" ]; then
    kill "$WEED_PID" 2> /dev/null || true
    wait "$WEED_PID" 2> /dev/null || true
  fi
  if [ -n "$PG_STARTED" ]; then
    su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA -m immediate stop" > /dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT INT TERM

# A free loopback port (and, with an offset, that port plus the offset free too).
free_port() {
  python3 - "${1:-0}" <<'PY'
import socket, sys
offset = int(sys.argv[1])
for _ in range(200):
    a = socket.socket(); a.bind(("127.0.0.1", 0)); port = a.getsockname()[1]
    if offset == 0 or port + offset > 65535:
        if offset == 0:
            a.close(); print(port); sys.exit(0)
        a.close(); continue
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", port + offset))
    except OSError:
        a.close(); continue
    a.close(); b.close(); print(port); sys.exit(0)
sys.exit("no free port")
PY
}

start_postgres() {
  [ -x "$PG_BIN/initdb" ] || fail "PostgreSQL 15 is not installed ($PG_BIN/initdb missing): apt-get install -y postgresql"
  PG_PORT=$(free_port)
  mkdir -p "$PG_DATA"
  chown postgres "$WORK" "$PG_DATA"
  su postgres -c "$PG_BIN/initdb -D $PG_DATA/data -A trust -U reprise --locale=C.UTF-8 -E UTF8" > "$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; fail "initdb failed"; }
  su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA/data -l $PG_DATA/log -w -t 60 \
    -o '-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=400' start" > /dev/null \
    || { cat "$PG_DATA/log" >&2 || true; fail "PostgreSQL did not start"; }
  PG_STARTED=1
  export REPRISE_TEST_POSTGRES="postgres://reprise@127.0.0.1:$PG_PORT/postgres"
  echo "scale-backends: PostgreSQL on 127.0.0.1:$PG_PORT" >&2
}

start_seaweedfs() {
  local weed
  weed=$(scripts/install-seaweedfs.sh) || fail "SeaweedFS could not be installed"
  # Each server takes its port and, for gRPC, the port plus 10000.
  local master volume filer s3
  master=$(free_port 10000)
  volume=$(free_port 10000)
  filer=$(free_port 10000)
  s3=$(free_port 10000)
  mkdir -p "$WEED_DATA"
  "$weed" server -dir="$WEED_DATA" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$master" -volume.port="$volume" -filer -filer.port="$filer" \
    -s3 -s3.port="$s3" -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false \
    -master.volumeSizeLimitMB=64 > "$WORK/weed.log" 2>&1 &
  WEED_PID=$!
  local bucket=reprise-test
  for _ in $(seq 1 120); do
    kill -0 "$WEED_PID" 2> /dev/null || { tail -50 "$WORK/weed.log" >&2; fail "SeaweedFS exited"; }
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$s3/$bucket")" = 200 ]; then
      export REPRISE_TEST_S3="s3://$bucket?endpoint=http://127.0.0.1:$s3&region=us-east-1"
      echo "scale-backends: SeaweedFS S3 on 127.0.0.1:$s3 (bucket $bucket)" >&2
      return 0
    fi
    sleep 0.5
  done
  tail -50 "$WORK/weed.log" >&2
  fail "SeaweedFS's S3 gateway did not answer within 60 s"
}

start_postgres
if [ "$ONLY" = postgres ]; then
  export REPRISE_TEST_BACKEND=postgres
else
  [ -z "$ONLY" ] || fail "--only takes postgres"
  start_seaweedfs
  export REPRISE_TEST_BACKEND=scale
fi
"$@"
