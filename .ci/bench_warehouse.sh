# `make bench PARTS=warehouse` (sourced by bench.sh): the warehouse at scale (N×1,000 POs,
# N×5,000 receives, N×200,000 bags). wrk, 16 connections: the PO list (first and a later page,
# filtered), PO SC-BIG's page (200 lines, 50 receives), a receive's page (40 bags) and the
# receives list; then
# bags recorded through the scanner form's endpoint, posted as a browser without JavaScript posts
# it (each request one bag, one transaction with its audit row), spread over the draft receives.
# The bags added are counted in the database afterwards, so a refused post cannot pass as a bag.

wh_sql() {
  local engine=$1 db_url=$2 sql=$3
  if [ "$engine" = postgres ]; then psql -qtA "$db_url" -c "$sql"; else sqlite3 "${db_url#sqlite:}" "$sql"; fi
}

bench_warehouse() {
  local engine=$1 db_url=$2 cookie staff drafts before after before_cpu out rps
  start_server "$db_url"
  cookie=$(login_cookie)
  staff=$(login_cookie staff)
  echo "-- warehouse (server RSS after log-in, MB now/peak: $(server_rss))"
  printf "%-28s %10s %10s %10s %10s %10s\n" "url" "req/s" "p50" "p99" "cpu ms/req" "rss MB"
  load "PO list" "/pos" "$cookie"
  load "PO list, a later page" "/pos?after=SC-005000" "$cookie"
  load "PO list, active and open" "/pos?status=active&state=open" "$cookie"
  load "PO list, vendor and type" "/pos?vendor=leaf&tablet_type=FIX+Relax" "$cookie"
  load "PO page, 200 lines" "/pos/SC-BIG" "$cookie"
  load "receive page, 40 bags" "/receives/4242" "$cookie"
  load "receives list" "/receives" "$cookie"
  load "labels of 40 bags" "/receives/4243/labels" "$cookie"
  drafts=$(wh_sql "$engine" "$db_url" "select count(*) from receives where status = 'draft'")
  before=$(wh_sql "$engine" "$db_url" "select count(*) from receive_bags")
  cat >"$WORK/scan.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "text/html"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$staff"
request = function()
  local id = 10 * math.random(1, $drafts)
  return wrk.format(nil, nil, nil, "id=" .. id .. "&box_no=5&tablet_type=18mg+7OH&scan=480")
end
LUA
  before_cpu=$(server_cpu_ticks)
  out=$(wrk -t2 -c16 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/scan.lua" "$BASE/api/scan_into_receive")
  grep -E "Socket errors|Non-2xx" <<<"$out" || true
  after=$(wh_sql "$engine" "$db_url" "select count(*) from receive_bags")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  printf "%-28s %10s %10s %10s %10s %10s  = %.0f bags/s (%d bags added, %s requests)\n" "scanner form, one bag" "$rps" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(cpu_per_request "$before_cpu" "$(server_cpu_ticks)" "$out")" "$(server_rss)" \
    "$(echo "($after - $before) / $DURATION" | bc -l)" "$((after - before))" "$(awk '/requests in/ { print $1 }' <<<"$out")"
  if grep -q panicked "$WORK/server.log"; then echo "server log (PANIC):"; grep -A40 -m1 panicked "$WORK/server.log"; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}
