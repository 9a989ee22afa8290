#!/usr/bin/env bash
# Failure test: PostgreSQL stopped during load. Instance 1 holds the database, instance 2 serves the load (writes
# and reads, one after another). After a while the database stops (instance 1 is stopped), stays down, and comes
# back (instance 1 restarts on the same data). Fails unless the outage was observed (at least 10 answers 503 while
# the database was down, on both APIs). Checks, for the management API and the OCI data plane alike: requests fail fast with a JSON 503 while it is down (none
# hangs), the service recovers by itself within 5 s of the database's return, and every write answered 2xx is in
# the database, and reached a subscriber of GET /events (opened before the outage, on the instance serving the load);
# the serving instance's log holds no stack trace.
#
#   bench/db-outage.sh        # needs java, curl, psql, python3
source "$(dirname "$0")/lib.sh"
begin

start_instance 1 REGISTRY_GC_POLL_INTERVAL=off
start_instance 2 REGISTRY_GC_POLL_INTERVAL=off
DB_PID=${PIDS[0]}
curl -sN -u "$BENCH_USER:$BENCH_PASSWORD" http://localhost:18082/events > "$WORK/events.txt" &
# a registry for the data plane's share of the load (its tags list reads the database)
curl -sf -o /dev/null -u "$BENCH_USER:$BENCH_PASSWORD" -H 'Content-Type: application/json' \
  -d '{"properties": {"name": "outage-plane", "location": "de/fra"}}' http://localhost:18082/registries
EVENTS=$!

python3 - "$WORK" <<'PY' &
import base64, json, sys, time, urllib.request, uuid
work = sys.argv[1]
auth = "Basic " + base64.b64encode(b"bench:bench-password").decode()
end = time.time() + 45
with open(f"{work}/load.jsonl", "w") as out:
    i = 0
    while time.time() < end:
        i += 1
        name = f"outage-{uuid.uuid4().hex[:12]}"
        write = i % 2 == 0
        plane = i % 4 == 1
        req = urllib.request.Request(
            "http://localhost:18082/v2/outage-plane/app/tags/list" if plane else
            "http://localhost:18082/registries" + ("" if write else "?limit=5"),
            data=json.dumps({"properties": {"name": name, "location": "de/fra"}}).encode() if write else None,
            headers={"Authorization": auth, "Content-Type": "application/json"}, method="POST" if write else "GET")
        start = time.time()
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        except Exception as e:
            status, body = 0, str(e).encode()
        took = time.time() - start
        shape = True
        if status >= 400:
            try:
                answer = json.loads(body)
                shape = bool(answer.get("errors")) and all("code" in e for e in answer["errors"]) if plane \
                    else answer.get("httpStatus") == status
            except Exception:
                shape = False
        out.write(json.dumps({"t": start, "took": took, "status": status, "write": write, "name": name,
                              "plane": plane, "shape": shape}) + "\n")
        out.flush()
        time.sleep(0.02)
PY
LOAD=$!

sleep 8
echo "stopping the database"
down_at=$(date +%s.%N)
kill -TERM "$DB_PID"; wait "$DB_PID" 2>/dev/null || true
sleep 10
echo "starting the database again"
PIDS=("${PIDS[1]}")
start_instance 1 REGISTRY_GC_POLL_INTERVAL=off
up_at=$(date +%s.%N)
PIDS=("${PIDS[1]}" "${PIDS[0]}")
wait "$LOAD"
sleep 3 # the event feed also reads the log every second
kill "$EVENTS" 2>/dev/null || true

# (set -e must not end the script before it says what failed)
verdict=0
python3 - "$WORK" "$down_at" "$up_at" <<'PY' || verdict=$?
import json, sys
work, down, up = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rows = [json.loads(l) for l in open(f"{work}/load.jsonl")]
during = [r for r in rows if down <= r["t"] < up]
after = [r for r in rows if r["t"] >= up]
first_ok = next((r["t"] for r in after if 200 <= r["status"] < 300), None)
print(f"requests: {len(rows)}; while the database was down: {len(during)}, statuses "
      f"{sorted(set(r['status'] for r in during))}, slowest {max((r['took'] for r in during), default=0):.2f} s")
print(f"errors not in the JSON shape: {sum(1 for r in rows if not r['shape'])}; 5xx other than 503: "
      f"{sum(1 for r in rows if r['status'] >= 500 and r['status'] != 503)}")
print("recovered" if first_ok else "NOT recovered",
      f"{(first_ok - up):.2f} s after the database returned" if first_ok else "")
with open(f"{work}/written.txt", "w") as f:
    for r in rows:
        if r["write"] and 200 <= r["status"] < 300:
            f.write(r["name"] + "\n")
outage_seen = sum(1 for r in during if r["status"] == 503)
plane_seen = sum(1 for r in during if r["status"] == 503 and r["plane"])
print("outage observed:" if outage_seen else "outage NOT observed (no 503 while the database was down):",
      outage_seen, f"answers 503, {plane_seen} of them on the data plane")
ok = outage_seen >= 10 and plane_seen >= 3 and first_ok is not None and first_ok - up <= 5 and all(r["shape"] for r in rows) \
     and max((r["took"] for r in during), default=0) < 5 \
     and not any(r["status"] >= 500 and r["status"] != 503 for r in rows)
sys.exit(0 if ok else 1)
PY
written=$(wc -l < "$WORK/written.txt")
found=$(sql "select count(*) from registry where name in ($(sed "s/.*/'&'/" "$WORK/written.txt" | paste -sd,))")
echo "writes answered 2xx: $written; of them in the database: $found"
streamed=$(python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
names = {json.loads(line[5:])["data"]["name"] for line in open(f"{work}/events.txt")
         if line.startswith("data:") and '"registry.created"' in line}
print(sum(1 for name in open(f"{work}/written.txt").read().split() if name in names))
PY
)
echo "of them streamed as registry.created to the subscriber: $streamed"
# the outage in the log of the instance serving the load: one line per failure, no stack trace (a stack trace was the
# scheduler's ERROR for a failed task, and the pool's stale timer's, 114 of them, before both were made one line)
errors=$(grep -c ' ERROR ' "$WORK/instance-2.log" || true)
traces=$(grep -c $'^\tat ' "$WORK/instance-2.log" || true)
echo "log of the serving instance: $errors ERROR lines, $traces stack-trace lines"
grep ' ERROR ' "$WORK/instance-2.log" | cut -c25- | cut -c1-160 | sort | uniq -c | head -5
[ "$verdict" = 0 ] && [ "$written" = "$found" ] && [ "$written" = "$streamed" ] && [ "$traces" = 0 ] \
  || { echo "FAIL" >&2; exit 1; }
echo "OK"
