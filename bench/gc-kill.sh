#!/usr/bin/env bash
# Failure test: an instance killed with SIGKILL in the middle of a GC run. Instance 1 only holds the database
# (its GC is off); instances 2 and 3 collect, with a 10 s lease. A registry with $BLOBS orphan blobs comes due;
# the instance that runs it is killed -9 mid-run; the other must take the run over once the lease expired and
# complete it. Prints what happened; fails unless the slot has exactly one run, SUCCEEDED, every blob deleted
# exactly once, and the run was finished by the surviving instance.
#
#   bench/gc-kill.sh          # BLOBS=500000; needs java, curl, psql
source "$(dirname "$0")/lib.sh"
BLOBS="${BLOBS:-500000}"
begin

start_instance 1 REGISTRY_GC_POLL_INTERVAL=off
start_instance 2 REGISTRY_GC_POLL_INTERVAL=1s REGISTRY_GC_LEASE=10s REGISTRY_GC_INSTANCE_NAME=instance-2
start_instance 3 REGISTRY_GC_POLL_INTERVAL=1s REGISTRY_GC_LEASE=10s REGISTRY_GC_INSTANCE_NAME=instance-3

id=$(api POST /registries -d '{"properties":{"name":"kill-test","location":"de/fra"}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
sql "insert into blob (registry_id, digest, size, created_date)
     select '$id', 'sha256:' || g, 10, now() - interval '1 day' from generate_series(1, $BLOBS) g"
echo "registry $id holds $BLOBS orphan blobs"
# the slot and the schedule's time alike, both truncated to the second (time(0) rounds: half of the time the schedule's
# next slot fell a second after the one set here, came due during the run and was recorded SKIPPED)
sql "update registry set gc_days = 127, gc_time = date_trunc('second', now() at time zone 'UTC')::time + interval '2 seconds'
       where id = '$id';
     update gc_schedule set next_run = date_trunc('second', now()) + interval '2 seconds' where registry_id = '$id'"

owner=""
for _ in $(seq 1 60); do
  owner=$(sql "select lease_owner from gc_run where registry_id = '$id' and status = 'RUNNING'")
  [ -n "$owner" ] && break
  sleep 0.5
done
[ -n "$owner" ] || { echo "FAIL: the run never started" >&2; exit 1; }
sleep 2
deleted=$(sql "select deleted_blobs from gc_run where registry_id = '$id'")
victim=${owner#instance-}
echo "$owner runs it ($deleted blobs deleted so far): kill -9"
kill -9 "${PIDS[$((victim - 1))]}"
killed_at=$(date +%s)

for _ in $(seq 1 1200); do  # up to 10 min: a slower machine deletes 500,000 blobs in minutes
  status=$(sql "select status from gc_run where registry_id = '$id'")
  [ "$status" = SUCCEEDED ] || [ "$status" = FAILED ] && break
  sleep 0.5
done
took=$(( $(date +%s) - killed_at ))
echo
sql "select 'runs: ' || count(*) || ', status: ' || string_agg(status, ',') || ', deleted blobs: ' ||
       sum(deleted_blobs) || ', blobs left: ' || (select count(*) from blob where registry_id = '$id')
     from gc_run where registry_id = '$id'"
survivor=$([ "$victim" = 2 ] && echo instance-3 || echo instance-2)
grep -h "taken over\|GC run" "$WORK"/instance-*.log | tail -3 || true
echo "finished ${took} s after the kill (lease 10 s)"
ok=$(sql "select count(*) = 1 and bool_and(status = 'SUCCEEDED') and sum(deleted_blobs) = $BLOBS
            and (select count(*) from blob where registry_id = '$id') = 0 from gc_run where registry_id = '$id'")
[ "$ok" = t ] || { echo "FAIL: the slot does not have exactly one complete run" >&2; exit 1; }
echo "OK: $survivor took the run over and completed it; one run for the slot, every blob deleted once"
