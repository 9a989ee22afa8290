#!/usr/bin/env bash
# One user floods the management API (wrk, 50 connections, as fast as the service answers) while another user
# reads its own registry one request at a time; reports the other user's latency without and with the flood.
# Target (issue 15): the other user's p99 under 100 ms during the flood, and no 5xx for anyone. On this 2-core VM
# wrk and PostgreSQL share the cores with the service, so the figure is a worst case.
#
#   bench/flood.sh        # needs java, curl, psql, wrk, python3
#   DURATION=30 CONNECTIONS=50 FLOOD=one bench/flood.sh   # FLOOD: list (default: pages of 100, the heaviest
#                                                         # read) or one (GET /registries/{id})
#   FLOOD_ENV=QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=4 bench/flood.sh   # settings for the instance (env assignments)
source "$(dirname "$0")/lib.sh"
require wrk wrk
begin
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-50}"
FLOOD="${FLOOD:-list}"
# a second user, of another contract: the one who is not flooding
printf 'quiet=%s\n' "$(printf '%s' "quiet:registry-service:quiet-password" | md5sum | cut -d' ' -f1)" \
  >> "$WORK/config/users.properties"
printf 'quiet=owner,contract:quiet\n' >> "$WORK/config/roles.properties"

# shellcheck disable=SC2086 # FLOOD_ENV holds several assignments
start_instance 1 REGISTRY_GC_POLL_INTERVAL=off ${FLOOD_ENV:-}
create() {
  curl -sf -u "$1" -H 'Content-Type: application/json' -d "{\"properties\": {\"name\": \"$2\", \"location\": \"de/fra\"}}" \
    http://localhost:18081/registries | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
FLOODED=$(create "$BENCH_USER:$BENCH_PASSWORD" flood-target)
QUIET=$(create quiet:quiet-password quiet-one)
# a full page for the flooding user's listing
sql "insert into registry (id, contract, name, location, hostname, state, gc_days, gc_time, vulnerability_scanning,
       created_by, created_by_user_id, created_date, last_modified_by, last_modified_by_user_id, last_modified_date)
     select gen_random_uuid(), 'bench', 'flood-' || g, 'de/fra', 'flood-' || g || '.cr.example.com', 'RUNNING', 64,
       '01:23', true, 'bench', 'bench', now(), 'bench', 'bench', now() from generate_series(1, 150) g;
     insert into gc_schedule (registry_id, next_run) select id, now() + interval '3 days' from registry
       where name like 'flood-%' and id not in (select registry_id from gc_schedule)"
[ "$FLOOD" = list ] && TARGET="/registries?limit=100" || TARGET="/registries/$FLOODED"

cat > "$WORK/flood.lua" <<LUA
wrk.headers["Authorization"] = "Basic $(printf '%s' "$BENCH_USER:$BENCH_PASSWORD" | base64 -w0)"
LUA

probe() { # probe LABEL: 300 sequential reads of the quiet user's registry; prints p50, p99, max, non-2xx
  python3 - "$1" "$QUIET" <<'PY'
import base64, http.client, sys, time
label, registry = sys.argv[1], sys.argv[2]
auth = "Basic " + base64.b64encode(b"quiet:quiet-password").decode()
times, bad = [], 0
conn = http.client.HTTPConnection("localhost", 18081, timeout=30)
for _ in range(300):
    start = time.perf_counter()
    conn.request("GET", f"/registries/{registry}", headers={"Authorization": auth})
    response = conn.getresponse()
    response.read()
    times.append((time.perf_counter() - start) * 1000)
    bad += response.status != 200
times.sort()
print(f"{label}: p50 {times[149]:.1f} ms, p99 {times[296]:.1f} ms, max {times[-1]:.1f} ms, non-200 {bad}")
PY
}

probe "the quiet user, no flood" | tee "$WORK/quiet-idle.txt"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/flood.lua" "http://localhost:18081$TARGET" \
  > "$WORK/wrk.txt" &
WRK=$!
sleep 5 # the flood under way (and the JIT warm) before the quiet user is measured
probe "the quiet user, during the flood" | tee "$WORK/quiet-flood.txt"
wait "$WRK"
echo "flooding user: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") requests/s, $(awk '/Non-2xx/ {print $NF}' \
  "$WORK/wrk.txt") non-2xx, $(grep -c ' 5[0-9][0-9] ' "$WORK/instance-1.log" || true) 5xx in the log"
p99=$(sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' "$WORK/quiet-flood.txt")
python3 -c "import sys; sys.exit(0 if float('$p99') < 100 else 1)" && echo "OK (p99 $p99 ms < 100 ms)" \
  || { echo "FAIL: the quiet user's p99 was $p99 ms during the flood" >&2; exit 1; }
