#!/usr/bin/env bash
# API benchmark against the database's own limit. Starts the packaged service (embedded PostgreSQL), inserts
# registries, then measures with wrk at $CONNECTIONS connections:
#   - GET /registries/{id} (random ids) and GET /registries?limit=100, with Basic auth;
#   - pgbench -S -M prepared at the same client count on the same PostgreSQL, as the anchor, and pgbench running the
#     get-one's own SQL statement (the database's share of a get-one);
#   - the page after 100,000 rows against the first page (keyset paging: should cost the same);
#   - time to ready and RSS of the JVM after the load.
# Prints requests/s, p50/p99 latency, non-2xx count, CPU per request (the service's, PostgreSQL's, and the rest of the
# machine's: wrk and the kernel), and service requests/s divided by pgbench transactions/s.
#
# Before measuring it warms up each measured read until its rate settles (at least $WARMUP_MIN s each), and reports
# the rate of the first 10 s after ready against the settled one.
#
#   bench/api.sh        # CONNECTIONS=64 DURATION=20s REGISTRIES=5000 WARMUP_MIN=40 WARMUP_MAX=120; needs wrk, psql, pgbench, curl, bc, python3
source "$(dirname "$0")/lib.sh"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20s}"
REGISTRIES="${REGISTRIES:-5000}"
DEEP="${DEEP:-100000}"
WARMUP_MIN="${WARMUP_MIN:-40}"
WARMUP_MAX="${WARMUP_MAX:-120}"
require wrk wrk
require bc bc
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)
[ -x "$PGBENCH" ] || { echo "needs pgbench (Debian: apt-get install postgresql-contrib)" >&2; exit 2; }
begin

started=$(date +%s.%N)
start_instance 1
ready_seconds=$(echo "$(date +%s.%N) - $started" | bc)
JAVA_PID=${PIDS[0]}

insert_registries "$REGISTRIES" a
sql "select id from registry where contract = 'bench'" > "$WORK/ids.txt"
AUTH="Basic $(printf '%s' "$BENCH_USER:$BENCH_PASSWORD" | base64 -w0)"

cat > "$WORK/get.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
math.randomseed(42)
wrk.headers["Authorization"] = "$AUTH"
request = function() return wrk.format("GET", "/registries/" .. ids[math.random(#ids)]) end
LUA
cat > "$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "$AUTH"
LUA
cat >> "$WORK/get.lua" <<'LUA'
local non2xx = 0
response = function(status) if status < 200 or status > 299 then non2xx = non2xx + 1 end end
LUA

# cpu_seconds PID...: CPU time (user + system) the processes used so far
cpu_seconds() {
  local total=0 pid ticks
  for pid in "$@"; do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
  done
  echo "scale=3; $total / $(getconf CLK_TCK)" | bc
}

# machine_cpu_seconds: CPU time all cores spent busy so far (/proc/stat: all but idle and iowait)
machine_cpu_seconds() {
  echo "scale=3; $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat) / $(getconf CLK_TCK)" | bc
}

# wrk_run NAME URL SCRIPT: prints "NAME rps p50 p99 non2xx jvm-cpu-ms/request postgres-cpu-ms/request
# rest-cpu-ms/request", the rest being the machine's busy time outside the service and PostgreSQL (wrk itself and
# the kernel's network work on behalf of all three)
wrk_run() {
  sleep 1
  local out pg_pids jvm0 pg0 all0
  pg_pids=$(pgrep -x postgres | tr '\n' ' ')
  jvm0=$(cpu_seconds "$JAVA_PID"); pg0=$(cpu_seconds $pg_pids); all0=$(machine_cpu_seconds)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$3" "$2" | tee "$WORK/wrk-$1.txt")
  local rps p50 p99 non2xx requests jvm_ms pg_ms all_ms
  all_ms=$(echo "($(machine_cpu_seconds) - $all0) * 1000" | bc -l)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  jvm_ms=$(echo "($(cpu_seconds "$JAVA_PID") - $jvm0) * 1000 / $requests" | bc -l)
  pg_ms=$(echo "($(cpu_seconds $pg_pids) - $pg0) * 1000 / $requests" | bc -l)
  printf '%s %s %s %s %s %.3f %.3f %.3f\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}" "$jvm_ms" "$pg_ms" \
    "$(echo "$all_ms / $requests - $jvm_ms - $pg_ms" | bc -l)"
}

# warm-up: the rate of the first 10 s after ready (a new instance under load), then 10 s runs until the rate settles
# (two runs in a row within 5 %) and at least $WARMUP_MIN seconds in all, at most $WARMUP_MAX; the listing is warmed
# the same way before it is measured (measured right after warming only get-one, its JIT was still cold)
rate_10s() { wrk -t2 -c"$CONNECTIONS" -d10s -s "$2" "$1" | awk '/Requests\/sec/ {print $2}'; }
# warm_up NAME URL SCRIPT FIRST-RATE: prints the seconds it took
warm_up() {
  local warm=0 previous=$4 rate settled
  if [ -n "$previous" ]; then warm=10; fi
  while :; do
    rate=$(rate_10s "$2" "$3"); warm=$((warm + 10))
    echo "warming up $1: ${warm} s, $rate requests/s" >&2
    settled=$( [ -n "$previous" ] && echo "r = $rate / $previous; r >= 0.95 && r <= 1.05" | bc -l || echo 0)
    previous=$rate
    if { [ "$warm" -ge "$WARMUP_MIN" ] && [ "$settled" = 1 ]; } || [ "$warm" -ge "$WARMUP_MAX" ]; then break; fi
  done
  echo "$warm"
}
echo "the first 10 s after ready"
first10=$(rate_10s http://localhost:18081 "$WORK/get.lua")
warm=$(warm_up get-one http://localhost:18081 "$WORK/get.lua" "$first10")
warm_up list-100 "http://localhost:18081/registries?limit=100" "$WORK/auth.lua" "" > /dev/null
one=$(wrk_run get-one http://localhost:18081 "$WORK/get.lua")
list=$(wrk_run list-100 "http://localhost:18081/registries?limit=100" "$WORK/auth.lua")

PGPASSWORD="$(pg_password)" "$PGBENCH" -h localhost -p "$PG_PORT" -U postgres -i -s 10 -q postgres > /dev/null 2>&1
pgb=$(PGPASSWORD="$(pg_password)" "$PGBENCH" -h localhost -p "$PG_PORT" -U postgres -S -M prepared -c "$CONNECTIONS" -j 2 \
  -T "${DURATION%s}" postgres 2>/dev/null | awk '/^tps/ {print $3; exit}')
# and PostgreSQL's rate for the statement behind GET /registries/{id} itself (RegistryReads' SELECT and find's
# condition: keep the two alike), run by pgbench for one of the registries: the database's share of a get-one
cat > "$WORK/get-one.sql" <<'SQL'
select r.id, r.contract, r.name, r.location, r.hostname, r.state, r.gc_days, r.gc_time, r.vulnerability_scanning,
  r.api_subnet_allow_list, s.bytes, s.measured_at, r.created_by, r.created_by_user_id, r.created_date,
  r.last_modified_by, r.last_modified_by_user_id, r.last_modified_date, r.version
  from registry r left join storage_usage s on s.registry_id = r.id where r.id = :id and r.contract = 'bench';
SQL
pgb_own=$(PGPASSWORD="$(pg_password)" "$PGBENCH" -h localhost -p "$PG_PORT" -U postgres -f "$WORK/get-one.sql" \
  -D id="$(head -1 "$WORK/ids.txt")" -M prepared -c "$CONNECTIONS" -j 2 -T "${DURATION%s}" postgres 2>/dev/null \
  | awk '/^tps/ {print $3; exit}')

# paging depth: the page after $DEEP rows (walked to with limit=1000) against the first page
insert_registries "$DEEP" b
token=""
for ((i = 0; i < DEEP / 1000; i++)); do
  token=$(curl -fs -H "Authorization: $AUTH" "http://localhost:18081/registries?filter.name=b-&limit=1000${token:+&pagination.token=$token}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["pagination"].get("token") or "")')
done
first=$(wrk_run first-page "http://localhost:18081/registries?filter.name=b-&limit=100" "$WORK/auth.lua")
deep=$(wrk_run "page-after-$DEEP" "http://localhost:18081/registries?filter.name=b-&limit=100&pagination.token=$token" "$WORK/auth.lua")
rss_mb=$(( $(ps -o rss= -p "$JAVA_PID") / 1024 ))
# time to ready on an external database: a second instance on the first one's PostgreSQL (migrations done)
started=$(date +%s.%N)
start_instance 2
external_ready_seconds=$(echo "$(date +%s.%N) - $started" | bc)

echo
printf '%-22s %12s %10s %10s %8s %14s %14s %15s\n' measurement requests/s p50 p99 non-2xx jvm-cpu-ms/req pg-cpu-ms/req \
  rest-cpu-ms/req
for line in "$one" "$list" "$first" "$deep"; do
  printf '%-22s %12s %10s %10s %8s %14s %14s %15s\n' $line
done
printf '%-22s %12s\n' "pgbench -S -M prepared" "$pgb"
printf '%-22s %12s  (PostgreSQL alone, the SQL of a get-one)\n' "pgbench get-one SQL" "$pgb_own"
echo
one_rps=$(echo "$one" | awk '{print $2}')
list_rps=$(echo "$list" | awk '{print $2}')
printf 'ratio GET /registries/{id} / pgbench tps:  %.2f (target >= 0.5); / pgbench of its own SQL: %.2f\n' \
  "$(echo "$one_rps / $pgb" | bc -l)" "$(echo "$one_rps / $pgb_own" | bc -l)"
# the CPU a get-one may use at the target rate on this machine's cores, against what it used (service, database, and
# the rest: wrk and the kernel's network work), so that a reader sees whether the target fits the machine at all
printf 'CPU per get-one: %.3f ms used (service %.3f, PostgreSQL %.3f, wrk and kernel %.3f); at 0.5 x pgbench %d cores allow %.3f ms\n' \
  "$(echo "$one" | awk '{print $6 + $7 + $8}')" "$(echo "$one" | awk '{print $6}')" "$(echo "$one" | awk '{print $7}')" \
  "$(echo "$one" | awk '{print $8}')" "$(nproc)" "$(echo "$(nproc) * 1000 / (0.5 * $pgb)" | bc -l)"
printf 'ratio GET /registries?limit=100 / pgbench:  %.2f\n' "$(echo "$list_rps / $pgb" | bc -l)"
printf 'deep page / first page (requests/s):       %.2f (target: the deep page costs at most 1.1x the first)\n' \
  "$(echo "$(echo "$first" | awk '{print $2}') / $(echo "$deep" | awk '{print $2}')" | bc -l)"
printf 'first 10 s after ready: %s requests/s, %.2f of the measured rate (target >= 0.5); warmed up %d s\n' \
  "$first10" "$(echo "$first10 / $one_rps" | bc -l)" "$warm"
printf 'time to ready: %.2f s on an external database (target <= 2), %.1f s with the embedded one; RSS after the load: %d MiB (target <= 400)\n' \
  "$external_ready_seconds" "$ready_seconds" "$rss_mb"
echo "raw wrk output: $WORK/wrk-*.txt"
