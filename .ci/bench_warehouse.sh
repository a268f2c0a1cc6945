# `make bench PARTS=warehouse` (sourced by bench.sh): the warehouse at scale (N×1,000 POs,
# N×5,000 receives, N×200,000 bags). wrk, 16 connections: the PO list (first and a later page,
# filtered), PO SC-BIG's page (200 lines, 50 receives), a receive's page (40 bags) and the
# receives list; then
# bags recorded through the scanner form's endpoint, posted as a browser without JavaScript posts
# it (each request one bag, one transaction with its audit row), spread over the draft receives.
# The bags added are counted in the database afterwards, so a refused post cannot pass as a bag.
# Then the floor (scale N adds N×100,000 submissions): the submissions list (default, filtered,
# a later page), the dashboard, the review queue and the bag board; packaged counts recorded
# through the floor form's endpoint (bag matched by its label, PO line counts and audit row in
# one transaction), counted in the database afterwards; and recalculate over every submission.

wh_sql() {
  local engine=$1 db_url=$2 sql=$3
  if [ "$engine" = postgres ]; then psql -qtA "$db_url" -c "$sql"; else sqlite3 "${db_url#sqlite:}" "$sql"; fi
}

bench_warehouse() {
  local engine=$1 db_url=$2 cookie staff drafts before after before_cpu out
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
  post_rate "scanner form, one bag" bags "$before" "$after" "$before_cpu" "$out"
  bench_floor "$engine" "$db_url" "$cookie" "$staff"
  if grep -q panicked "$WORK/server.log"; then echo "server log (PANIC):"; grep -A40 -m1 panicked "$WORK/server.log"; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  local started
  started=$(date +%s.%N)
  DATABASE_URL="$db_url" "$BIN" warehouse recalculate 2>&1 | tail -1 || true
  printf "%-28s %10.2f s over %s submissions\n" "recalculate" "$(echo "$(date +%s.%N) - $started" | bc -l)" \
    "$(wh_sql "$engine" "$db_url" "select count(*) from submissions")"
}

bench_floor() {
  local engine=$1 db_url=$2 cookie=$3 staff=$4 po later manager labels before after before_cpu out
  po=$(wh_sql "$engine" "$db_url" "select p.number from submissions s join purchase_orders p on p.id = s.po_id where s.id = 4242")
  # A page halfway down the list, whatever the scale.
  later=$(wh_sql "$engine" "$db_url" "select count(*) / 2 from submissions")
  later=$(wh_sql "$engine" "$db_url" "select submitted_on || '.' || id from submissions \
    order by submitted_on desc, id desc limit 1 offset $later")
  load "submissions list" "/submissions" "$cookie"
  load "submissions, a PO" "/submissions?po=$po" "$cookie"
  load "submissions, type and kind" "/submissions?tablet_type=18mg+7OH&kind=packaged" "$cookie"
  load "submissions, days and item" "/submissions?from=2025-01-01&to=2025-01-31&item=INV-7OH-18" "$cookie"
  load "submissions, a later page" "/submissions?after=$later" "$cookie"
  manager=$(login_cookie manager)
  load "warehouse dashboard" "/warehouse" "$manager"
  load "review queue" "/review" "$manager"
  load "bag board" "/bags" "$cookie"
  # 500 labels of published bags of open POs, with a product of the bag's tablet type.
  labels=$(wh_sql "$engine" "$db_url" "select '{\"' || p.number || '-' || (select count(*) from receives e \
    where e.po_id = r.po_id and (e.received_on < r.received_on or (e.received_on = r.received_on and e.id <= r.id))) \
    || '-' || b.box_no || '-' || b.bag_no || '\", \"' || (select x.name from products x \
    where x.tablet_type_id = b.tablet_type_id order by x.id limit 1) || '\"},' from receive_bags b \
    join receives r on r.id = b.receive_id join purchase_orders p on p.id = r.po_id \
    where r.status = 'published' and not p.closed and p.status <> 'cancelled' and b.id % 397 = 0 limit 500")
  before=$(wh_sql "$engine" "$db_url" "select count(*) from submissions")
  cat >"$WORK/floor.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "text/html"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$staff"
local bags = { $labels }
request = function()
  local bag = bags[math.random(1, #bags)]
  local body = "form[kind]=packaged&form[submitted_on]=2025-05-30&form[product]=" .. bag[2]:gsub(" ", "+")
    .. "&form[bag_label]=" .. bag[1] .. "&form[displays]=0&form[packs]=1&form[loose]=3&form[damaged]=0"
  return wrk.format(nil, nil, nil, body)
end
LUA
  before_cpu=$(server_cpu_ticks)
  out=$(wrk -t2 -c16 -d"${DURATION}s" --timeout 10s --latency -s "$WORK/floor.lua" "$BASE/api/record_submission")
  grep -E "Socket errors|Non-2xx" <<<"$out" || true
  after=$(wh_sql "$engine" "$db_url" "select count(*) from submissions")
  post_rate "floor form, packaged" counts "$before" "$after" "$before_cpu" "$out"
}

# One line for a load of posts: wrk's rate and latencies, and the rows the database gained.
post_rate() {
  local name=$1 unit=$2 before=$3 after=$4 before_cpu=$5 out=$6
  printf "%-28s %10s %10s %10s %10s %10s  = %.0f %s/s (%d added, %s requests)\n" "$name" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(cpu_per_request "$before_cpu" "$(server_cpu_ticks)" "$out")" "$(server_rss)" \
    "$(echo "($after - $before) / $DURATION" | bc -l)" "$unit" "$((after - before))" \
    "$(awk '/requests in/ { print $1 }' <<<"$out")"
}
