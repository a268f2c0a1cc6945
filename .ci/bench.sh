#!/usr/bin/env bash
# `make bench`: release build, seed scale $SCALE (default 10) on SQLite and on PostgreSQL, log in,
# and load each URL with wrk from a second process (16 connections, 2 threads, $DURATION s).
# Prints req/s, p50, p99 and the server's CPU ms per request for each URL, the ingest rate and the
# server's RSS. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-10}
DURATION=${DURATION:-15}
ENGINES=${ENGINES:-"sqlite postgres"}
# Which parts to run: "web" (wrk on the pages and ingest), "backup", "scale" (two servers on
# one PostgreSQL, .ci/bench_scale.sh), "jobs" (device jobs at scale, .ci/bench_jobs.sh),
# "warehouse" (POs, receives and the scanner form at scale, .ci/bench_warehouse.sh).
PARTS=${PARTS:-"web jobs warehouse backup scale"}
PORT=${BENCH_PORT:-3990}
BASE="http://127.0.0.1:$PORT"
PG_ADMIN=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PASSWORD=bench-demo-password-1
BIN="$CARGO_TARGET_DIR/release/backroom"
WORK=$(mktemp -d /tmp/backroom-bench.XXXXXX)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
# shellcheck source=bench_backup.sh
source .ci/bench_backup.sh
# shellcheck source=bench_scale.sh
source .ci/bench_scale.sh
# shellcheck source=bench_jobs.sh
source .ci/bench_jobs.sh
# shellcheck source=bench_warehouse.sh
source .ci/bench_warehouse.sh
command -v sqlite3 >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null)

command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
command -v bc >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bc >/dev/null)
# cargo-leptos takes wasm-opt from the PATH before it tries to download Binaryen from GitHub.
command -v wasm-opt >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binaryen >/dev/null
# Its own site folder: the release wasm must not replace the debug one that `make test` serves.
export LEPTOS_SITE_ROOT=target/bench-site
cargo leptos build --release --split >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }

# The batch body: 1,000 checks over random devices of the data set.
python3 - "$SCALE" >"$WORK/batch.json" <<'PY'
import json, random, sys
random.seed(7)
devices = int(sys.argv[1]) * 10_000
checks = [{"device_id": f"pos-terminal-{random.randint(1, devices):06d}", "is_healthy": random.random() < 0.95,
           "response_time_ms": random.randint(5, 400), "status_code": 200, "endpoint": "/health"} for _ in range(1000)]
print(json.dumps({"checks": checks}))
PY

start_server() {
  local db_url=$1
  # No scheduled backups: on a database without any, the first would start a minute in, beside
  # whichever URL is being loaded (its verification alone holds a 64 MiB page cache). Backups
  # are timed by the backup part on their own. No daily maintenance either: on a fresh database
  # it is due at once, and its retention sweep and statistics made list reads take seconds.
  # A week-long online window: the seeded fleet sends no checks, and a fleet that reports stays
  # as seeded, while with the default 120 s the leader would turn 850,000 devices offline
  # beside the URL being loaded.
  # RUST_BACKTRACE=0 as a service runs: with a caller's RUST_BACKTRACE=1, one panic's backtrace read
  # the binary's symbols and kept them (RssAnon +31 MB, RssFile +7 MB), which the RSS figure then showed.
  DATABASE_URL="$db_url" BACKROOM_DATA_DIR="$WORK/data" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    BACKROOM_LOGIN_BURST_PER_CLIENT=1000 BACKROOM_BACKUP_SCHEDULE=false BACKROOM_MAINTENANCE_SCHEDULE=false \
    BACKROOM_ONLINE_WINDOW_SECS=604800 RUST_LOG=warn RUST_BACKTRACE=0 \
    "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do curl -fs "$BASE/login" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}

# A session cookie of the demo user $1 (default viewer).
login_cookie() {
  local action user=${1:-viewer}
  action=$(curl -fs "$BASE/login" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)
  curl -fs -o /dev/null -c "$WORK/cookies" -H "Origin: $BASE" --data "username=$user&password=$PASSWORD&next=/" "$BASE$action"
  awk '$6 == "backroom_session" { print $6 "=" $7 }' "$WORK/cookies"
}

# The server's CPU time so far (user + system), in clock ticks.
server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# Server CPU per request in ms, from the ticks before and after a wrk run and its request count:
# steadier than req/s on a shared 2-core machine, where wrk itself takes part of the CPU.
cpu_per_request() {
  local before=$1 after=$2 out=$3 requests
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  echo "($after - $before) * 1000 / $(getconf CLK_TCK) / $requests" | bc -l | xargs printf "%.2f"
}

# The server's resident memory now and at its peak so far, in MB ("now/peak").
server_rss() {
  awk '/VmRSS/ { now = $2 } /VmHWM/ { peak = $2 } END { printf "%.0f/%.0f", now / 1024, peak / 1024 }' \
    "/proc/$SERVER_PID/status"
}

# wrk one URL; prints "name req/s p50 p99 cpu-ms/req rss-now/peak".
load() {
  local name=$1 url=$2 cookie=$3
  local out before
  before=$(server_cpu_ticks)
  out=$(wrk -t2 -c16 -d"${DURATION}s" --timeout 10s --latency -H "Cookie: $cookie" "$BASE$url")
  local rps p50 p99 non2xx cpu
  cpu=$(cpu_per_request "$before" "$(server_cpu_ticks)" "$out")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$out")$(awk '/Socket errors/ { print " " $0 }' <<<"$out")
  printf "%-28s %10s %10s %10s %10s %10s %s\n" "$name" "$rps" "$p50" "$p99" "$cpu" "$(server_rss)" \
    "${non2xx:+($non2xx non-2xx!)}"
}

ingest() {
  local token=$1
  cat >"$WORK/ingest.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$WORK/batch.json", "r"); wrk.body = f:read("*a"); f:close()
LUA
  local out rps before
  before=$(server_cpu_ticks)
  out=$(wrk -t2 -c16 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/ingest.lua" "$BASE/api/v1/health/batch")
  grep -E "Socket errors|Non-2xx" <<<"$out" || true
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  printf "%-28s %10s %10s %10s %10s %10s  = %.0f checks/s\n" "batch ingest (1,000/req)" "$rps" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(cpu_per_request "$before" "$(server_cpu_ticks)" "$out")" "$(server_rss)" "$(echo "$rps * 1000" | bc -l)"
}

bench_engine() {
  local engine=$1 db_url
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  if [ "$engine" = postgres ]; then
    psql -q "$PG_ADMIN" -c "drop database if exists backroom_bench" -c "create database backroom_bench"
    db_url="${PG_ADMIN%/*}/backroom_bench"
  else
    db_url="sqlite:$WORK/data/backroom.db"
  fi
  local seeded
  seeded=$( { /usr/bin/time -f "%e" env DATABASE_URL="$db_url" "$BIN" seed --scale "$SCALE" >/dev/null; } 2>&1 | tail -1)
  DATABASE_URL="$db_url" BACKROOM_DEMO_PASSWORD=$PASSWORD "$BIN" seed --demo >/dev/null
  # The seed leaves gigabytes of dirty pages (PostgreSQL's shared buffers, the kernel's cache);
  # written back in the background they would stall the first URLs' requests on the disk.
  if [ "$engine" = postgres ]; then psql -q "$db_url" -c checkpoint; fi
  sync
  echo
  echo "== $engine, scale $SCALE: $((SCALE * 10000)) devices, seeded in ${seeded} s =="
  if [[ " $PARTS " == *" web "* ]]; then bench_web "$engine" "$db_url"; fi
  if [[ " $PARTS " == *" jobs "* ]]; then bench_jobs "$engine" "$db_url"; fi
  if [[ " $PARTS " == *" warehouse "* ]]; then bench_warehouse "$engine" "$db_url"; fi
  if [[ " $PARTS " == *" backup "* ]]; then bench_backup "$engine" "$db_url"; fi
  if [[ " $PARTS " == *" scale "* ]]; then bench_scale "$engine" "$db_url"; fi
  [ "$engine" = postgres ] && psql -q "$PG_ADMIN" -c "drop database if exists backroom_bench"
  return 0
}

bench_web() {
  local engine=$1 db_url=$2 token cookie
  token=$(DATABASE_URL="$db_url" "$BIN" token --label bench)
  start_server "$db_url"
  cookie=$(login_cookie)
  local after=$((25 * 999)) device
  device=$(printf "pos-terminal-%06d" 4242)
  echo "server RSS after log-in (MB now/peak): $(server_rss)"
  printf "%-28s %10s %10s %10s %10s %10s\n" "url" "req/s" "p50" "p99" "cpu ms/req" "rss MB"
  load "devices, first page" "/devices" "$cookie"
  load "devices, page 1,000" "/devices?page=1000&after=$after.$(printf "pos-terminal-%06d" $after)" "$cookie"
  load "devices, status=error" "/devices?status=error" "$cookie"
  load "devices, search" "/devices?q=pos-terminal-01234" "$cookie"
  load "sites, first page" "/sites" "$cookie"
  load "site page" "/sites/site-00042" "$cookie"
  load "device page with chart" "/devices/$device?range=30d" "$cookie"
  load "health list of one device" "/devices/$device/checks/export" "$cookie"
  ingest "$token"
  awk '/VmRSS|VmHWM|RssAnon|RssFile|RssShmem/ { sub(":", "", $1); printf "%s %.1f MB  ", $1, $2 / 1024 }
    /^Threads/ { threads = $2 } END { print "Threads " threads }' "/proc/$SERVER_PID/status"
  # What the server warned about while loaded (slow statements, failed recounts) explains outliers;
  # a panic is shown whole.
  if grep -q panicked "$WORK/server.log"; then echo "server log (PANIC):"; grep -A40 -m1 panicked "$WORK/server.log"
  elif [ -s "$WORK/server.log" ]; then echo "server log (last 5 lines):"; tail -5 "$WORK/server.log"; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

for engine in $ENGINES; do bench_engine "$engine"; done
