# `make bench PARTS=jobs` (sourced by bench.sh): device jobs at scale. Every active device is made
# a POS terminal first, so one segment (`--type pos_terminal`) reaches the whole fleet. Prints:
# agent fetches on an idle fleet (wrk, 16 connections); fan-out of a job to every device and its
# cancel, each the median of JOB_ROUNDS (default 3) service calls as `backroom job` times them;
# a full device cycle (fetch → ack → in_progress → succeeded) for every target by agent-sim
# (CYCLE_DEVICES=N plays only the first N devices, for a shorter run);
# the job page of that job; and the server's RSS (now/peak) after each step.

jobs_sql() {
  local engine=$1 db_url=$2 sql=$3
  if [ "$engine" = postgres ]; then psql -qtA "$db_url" -c "$sql"; else sqlite3 "${db_url#sqlite:}" "$sql"; fi
}

# The milliseconds a `backroom job …` line reports ("… in 123.4 ms.").
jobs_ms() { grep -o '[0-9.]* ms' | cut -d' ' -f1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Waits until the server's sweeper has canceled the job's queued work.
jobs_wait_canceled() {
  local engine=$1 db_url=$2 key=$3
  for _ in $(seq 1 600); do
    [ "$(jobs_sql "$engine" "$db_url" "select state from jobs where job_id = '$key'")" = canceled ] && return 0
    sleep 0.2
  done
  echo "job $key was not canceled within 120 s"; return 1
}

bench_jobs() {
  local engine=$1 db_url=$2 token cookie reach out key fan=() cancel=()
  jobs_sql "$engine" "$db_url" "update devices set device_type = 'pos_terminal' where device_type <> 'pos_terminal'" >/dev/null
  token=$(DATABASE_URL="$db_url" "$BIN" token --label bench-jobs)
  start_server "$db_url"
  cookie=$(login_cookie)
  echo "-- device jobs (server RSS after log-in, MB now/peak: $(server_rss))"
  cat >"$WORK/fetch.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
  out=$(wrk -t2 -c16 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/fetch.lua" \
    "$BASE/api/v1/agent/devices/$(printf "pos-terminal-%06d" 4242)/next")
  printf "%-34s %10s req/s  p50 %s  p99 %s  rss %s\n" "agent fetch, idle fleet (204)" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "50%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$out")" "$(server_rss)"
  grep -E "Socket errors|Non-2xx" <<<"$out" || true
  for _ in $(seq 1 "${JOB_ROUNDS:-3}"); do
    out=$(DATABASE_URL="$db_url" "$BIN" job create --action restart --type pos_terminal --description bench)
    key=$(awk '{ print $2 }' <<<"$out")
    fan+=("$(jobs_ms <<<"$out")")
    cancel+=("$(DATABASE_URL="$db_url" "$BIN" job cancel "$key" | jobs_ms)")
    jobs_wait_canceled "$engine" "$db_url" "$key"
  done
  reach=$(jobs_sql "$engine" "$db_url" "select n_targets from jobs where job_id = '$key'")
  printf "%-34s %10s ms median (%s)  rss %s\n" "fan-out to $reach devices" \
    "$(printf "%s\n" "${fan[@]}" | median)" "${fan[*]}" "$(server_rss)"
  printf "%-34s %10s ms median (%s)\n" "cancel of that job" "$(printf "%s\n" "${cancel[@]}" | median)" "${cancel[*]}"
  # A day to live: at a few hundred devices a second, the default 300 s would expire the tail.
  out=$(DATABASE_URL="$db_url" "$BIN" job create --action restart --type pos_terminal --ttl 86400 --description "bench cycle")
  key=$(awk '{ print $2 }' <<<"$out")
  out=$(DATABASE_URL="$db_url" "$BIN" agent-sim --devices "${CYCLE_DEVICES:-$reach}" --url "$BASE" --connections 16 --until-idle \
    --fail-rate 0 2>&1 | tail -1)
  printf "%-34s %s  rss %s\n" "full device cycle (agent-sim)" "${out#agent-sim: }" "$(server_rss)"
  load "job page, $reach targets" "/jobs/$key" "$cookie"
  load "job's devices, failed filter" "/jobs/$key?state=failed" "$cookie"
  echo "server RSS at the end (MB now/peak): $(server_rss)"
  if grep -q panicked "$WORK/server.log"; then echo "server log (PANIC):"; grep -A40 -m1 panicked "$WORK/server.log"; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}
