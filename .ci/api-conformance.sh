#!/usr/bin/env bash
# Holds the device APIs to their OpenAPI document (/api/v1/openapi.json) on SQLite and then on
# PostgreSQL: a fresh database with the demo fleet and a job for one terminal, that terminal's
# token, a server, and schemathesis (.ci/schemathesis.toml) from the virtual environment the
# Makefile keeps. Any 5xx, undocumented status or body that breaks the document fails the run.
set -euo pipefail

BIN=${BIN:?the backroom binary}
SCHEMATHESIS=${SCHEMATHESIS:?the schemathesis command}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${API_PORT:-3918}
EXAMPLES=${API_EXAMPLES:-150}
DEVICE=pos-terminal-000001
WORK=$(mktemp -d)
PG_DB=backroom_api_$$
SERVER=

cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  psql -q "$PG_ADMIN_URL" -c "drop database if exists $PG_DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start; its log:" >&2
  cat "$WORK/server.log" >&2
  return 1
}

run_on() {
  local engine=$1
  echo "== device APIs against their OpenAPI document, on $engine"
  export BACKROOM_DATA_DIR=$WORK/$engine
  mkdir -p "$BACKROOM_DATA_DIR"
  if [ "$engine" = postgres ]; then
    psql -q "$PG_ADMIN_URL" -c "create database $PG_DB" >/dev/null
    export DATABASE_URL=${PG_ADMIN_URL%/*}/$PG_DB
  else
    unset DATABASE_URL
  fi
  "$BIN" seed --demo > "$WORK/seed.log"
  "$BIN" job create --action restart --device "$DEVICE" --attempts 3 --description "API conformance" >> "$WORK/seed.log"
  local token target
  token=$("$BIN" token --device "$DEVICE")
  # Long polls stop short of the request timeout: a few seconds each, not 25.
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT BACKROOM_REQUEST_TIMEOUT_SECS=4 BACKROOM_BACKUP_SCHEDULE=false \
    BACKROOM_MAINTENANCE_SCHEDULE=false "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_port
  target=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/agent/devices/$DEVICE/next" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_id"])')
  ST_TOKEN=$token ST_DEVICE=$DEVICE ST_TARGET=$target "$SCHEMATHESIS" --config-file .ci/schemathesis.toml run \
    --max-examples "$EXAMPLES" --seed "${API_SEED:-1}" --no-color --report-dir "$WORK/report" \
    "http://127.0.0.1:$PORT/api/v1/openapi.json"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  if [ "$engine" = postgres ]; then psql -q "$PG_ADMIN_URL" -c "drop database $PG_DB with (force)" >/dev/null; fi
}

run_on sqlite
run_on postgres
