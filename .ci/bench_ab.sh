#!/usr/bin/env bash
# A/B of two release binaries on one seeded scale-10 database: they take turns on the same URLs,
# $ROUNDS rounds (default 3) of 10 s each, so a change's cost shows apart from the noise of reseeding.
#   .ci/bench_ab.sh sqlite|postgres BEFORE_BINARY AFTER_BINARY
# Prints req/s, p99 and the server's CPU ms per request, a line per binary, URL and round.
# URLS="/sites /devices" narrows the URLs. Both binaries must know the same migrations: the
# database is seeded (and migrated) by the second, and an older binary refuses a newer schema.
set -euo pipefail
ENGINE=$1
A=$2; B=$3
WORK=/tmp/ab-$ENGINE; rm -rf $WORK; mkdir -p $WORK/data
PORT=3991; BASE=http://127.0.0.1:$PORT; PASSWORD=bench-demo-password-1
if [ "$ENGINE" = postgres ]; then
  psql -q "${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" -c "drop database if exists backroom_ab" -c "create database backroom_ab"
  DB="$(dirname "${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}")/backroom_ab"
else DB=sqlite:$WORK/data/backroom.db; fi
export DATABASE_URL=$DB BACKROOM_DATA_DIR=$WORK/data
$B seed --scale 10 >/dev/null; BACKROOM_DEMO_PASSWORD=$PASSWORD $B seed --demo >/dev/null
if [ "$ENGINE" = postgres ]; then psql -q "$DB" -c checkpoint; fi
sync
after=$((25 * 999)); P1000="/devices?page=1000&after=$after.$(printf "pos-terminal-%06d" $after)"
# Odd rounds run A first, even rounds B first, so whatever the database does after one
# binary's run (its backends ending, autovacuum) does not always land on the same binary.
for round in $(seq 1 "${ROUNDS:-3}"); do
  order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
  for which in $order; do
  bin=${!which}
  LEPTOS_SITE_ADDR=127.0.0.1:$PORT BACKROOM_LOGIN_BURST_PER_CLIENT=1000 BACKROOM_BACKUP_SCHEDULE=false BACKROOM_MAINTENANCE_SCHEDULE=false RUST_LOG=warn $bin serve >$WORK/server.log 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs $BASE/login >/dev/null 2>&1 && break; sleep 0.1; done
  action=$(curl -fs "$BASE/login" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)
  curl -fs -o /dev/null -c $WORK/cookies -H "Origin: $BASE" --data "username=viewer&password=$PASSWORD&next=/" "$BASE$action"
  cookie=$(awk '$6 == "backroom_session" { print $6 "=" $7 }' $WORK/cookies)
  for url in ${URLS:-/devices "$P1000" /sites}; do
    t0=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
    out=$(wrk -t2 -c16 -d10s --latency -H "Cookie: $cookie" "$BASE$url")
    t1=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
    n=$(awk '/requests in/ { print $1 }' <<<"$out")
    printf "%s round %s %-8s %-40s %10s req/s p99 %8s cpu %.3f ms/req\n" $ENGINE $round $which "${url:0:40}" \
      "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
      "$(echo "($t1 - $t0) * 1000 / $(getconf CLK_TCK) / $n" | bc -l)"
  done
  kill $pid; wait $pid 2>/dev/null || true
done; done
if [ "$ENGINE" = postgres ]; then
  psql -q "${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" -c "drop database if exists backroom_ab"
fi
