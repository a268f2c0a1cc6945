# `make bench PARTS=scale` (sourced by bench.sh): the devices list from one server, then from two
# servers on the same PostgreSQL database, each loaded by a wrk of its own (8 connections each,
# 16 in all, as the one-server run), while a writer creates a site on the first server every
# SCALE_WRITE_EVERY seconds (default 0.2; 0: no writer): each creation is a change notice that
# drops both servers' fleet totals, which they count again. Prints combined req/s and the worse p99 beside one server's. SQLite is one server
# per file, so only PostgreSQL runs this part.

scale_server() {
  local db_url=$1 port=$2 log=$3
  DATABASE_URL="$db_url" BACKROOM_DATA_DIR="$WORK/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    BACKROOM_LOGIN_BURST_PER_CLIENT=1000 BACKROOM_BACKUP_SCHEDULE=false BACKROOM_MAINTENANCE_SCHEDULE=false BACKROOM_ONLINE_WINDOW_SECS=604800 \
    RUST_LOG=warn RUST_BACKTRACE=0 \
    "$BIN" serve >"$log" 2>&1 &
  echo $!
}

scale_wait_up() {
  local port=$1
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/login" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server on $port did not start"; exit 1
}

# A session cookie for `user` on the server at `port`.
scale_cookie() {
  local port=$1 user=$2 base="http://127.0.0.1:$1" action
  action=$(curl -fs "$base/login" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)
  curl -fs -o /dev/null -c "$WORK/cookies-$port-$user" -H "Origin: $base" \
    --data "username=$user&password=$PASSWORD&next=/" "$base$action"
  awk '$6 == "backroom_session" { print $6 "=" $7 }' "$WORK/cookies-$port-$user"
}

# Creates sites on the server at `port` every 200 ms until killed.
scale_writer() {
  local port=$1 cookie=$2 base="http://127.0.0.1:$1" n=0
  while true; do
    n=$((n + 1))
    curl -fs -o /dev/null -H "Cookie: $cookie" -H "Origin: $base" -H "Accept: application/json" \
      --data "form[site_id]=bench-scale-$$-$n&form[name]=Bench+$n&form[description]=&form[location]=&form[latitude]=&form[longitude]=" \
      "$base/api/create_site" || echo "write $n failed" >>"$WORK/writer.log"
    sleep "$SCALE_WRITE_EVERY"
  done
}

# wrk with `connections` on one URL; prints "req/s p99".
scale_load() {
  local port=$1 cookie=$2 connections=$3 out
  out=$(wrk -t1 -c"$connections" -d"${DURATION}s" --timeout 10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/devices")
  grep -E "Non-2xx|Socket errors" <<<"$out" >&2 || true
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out") $(awk '$1 == "99%" { print $2 }' <<<"$out")"
}

bench_scale() {
  local engine=$1 db_url=$2
  if [ "$engine" != postgres ]; then echo "scale: SQLite serves from one server per file; skipped"; return 0; fi
  local port_a=$PORT port_b=$((PORT + 1)) pid_a pid_b one
  pid_a=$(scale_server "$db_url" "$port_a" "$WORK/server-a.log"); SERVER_PID=$pid_a
  scale_wait_up "$port_a"
  local viewer_a manager_a
  viewer_a=$(scale_cookie "$port_a" viewer); manager_a=$(scale_cookie "$port_a" manager)
  local every=${SCALE_WRITE_EVERY:-0.2} writer=""
  printf "%-40s %10s %10s\n" "devices list, a write every ${every} s" "req/s" "p99"
  if [ "$every" != 0 ]; then SCALE_WRITE_EVERY=$every scale_writer "$port_a" "$manager_a" & writer=$!; fi
  one=$(scale_load "$port_a" "$viewer_a" 16)
  printf "%-40s %10s %10s\n" "one server (16 connections)" $one
  pid_b=$(scale_server "$db_url" "$port_b" "$WORK/server-b.log")
  scale_wait_up "$port_b"
  local viewer_b
  viewer_b=$(scale_cookie "$port_b" viewer)
  scale_load "$port_a" "$viewer_a" 8 >"$WORK/scale-a" &
  local load_a=$!
  scale_load "$port_b" "$viewer_b" 8 >"$WORK/scale-b"
  wait "$load_a"
  read -r a_rps a_p99 <"$WORK/scale-a"; read -r b_rps b_p99 <"$WORK/scale-b"
  printf "%-40s %10s %10s\n" "server A of two (8 connections)" "$a_rps" "$a_p99"
  printf "%-40s %10s %10s\n" "server B of two (8 connections)" "$b_rps" "$b_p99"
  printf "%-40s %10.0f %10s\n" "two servers, combined" "$(echo "$a_rps + $b_rps" | bc -l)" "max $a_p99 / $b_p99"
  if [ -n "$writer" ]; then kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null || true; fi
  [ -s "$WORK/writer.log" ] && { echo "writer failures:"; head -3 "$WORK/writer.log"; }
  for log in "$WORK/server-a.log" "$WORK/server-b.log"; do
    if grep -q panicked "$log"; then echo "PANIC in $log"; grep -A20 -m1 panicked "$log"; fi
  done
  kill "$pid_a" "$pid_b"; wait "$pid_a" "$pid_b" 2>/dev/null || true; SERVER_PID=""
}
