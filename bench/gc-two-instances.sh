#!/usr/bin/env bash
# Two packaged instances on one PostgreSQL, GC polling every second: schedules registries a few seconds ahead
# (two slots), waits for the slots, and prints how many runs each registry got for each slot (must be exactly 1).
#
#   bench/gc-two-instances.sh            # 100 registries (REGISTRIES=...), needs java, curl, psql
source "$(dirname "$0")/lib.sh"
REGISTRIES="${REGISTRIES:-100}"
begin

start_instance 1 REGISTRY_GC_POLL_INTERVAL=1s
start_instance 2 REGISTRY_GC_POLL_INTERVAL=1s

# two slots, 15 s and 25 s ahead (UTC), on today's weekday
day=$(date -u +%A)
slot1=$(date -u -d '+15 seconds' +%H:%M:%S)
slot2=$(date -u -d '+25 seconds' +%H:%M:%S)
for i in $(seq 1 "$REGISTRIES"); do
  slot=$([ $((i % 2)) = 0 ] && echo "$slot1" || echo "$slot2")
  api POST /registries -o /dev/null -d "{\"properties\":{\"name\":\"two-$i-$RANDOM\",\"location\":\"de/fra\",
    \"garbageCollectionSchedule\":{\"days\":[\"$day\"],\"time\":\"${slot}Z\"}}}"
done
echo "created $REGISTRIES registries: half due at $slot1 UTC, half at $slot2 UTC (both instances poll every 1 s)"

# wait until the later slot has passed and both instances had time to claim and run
end=$(( $(date -u -d "$slot2" +%s) + 8 ))
while [ "$(date -u +%s)" -lt "$end" ]; do sleep 1; done

echo
echo "slot (UTC)            registries  runs  registries with 0 runs  with >1 run"
sql "select to_char(g.slot, 'YYYY-MM-DD HH24:MI:SS'), count(*), sum(g.n),
            count(*) filter (where g.n = 0), count(*) filter (where g.n > 1)
     from (select r.id, (current_date + r.gc_time)::timestamptz as slot,
                  (select count(*) from gc_run x where x.registry_id = r.id and x.trigger = 'SCHEDULED'
                     and x.scheduled_for = (current_date + r.gc_time)::timestamptz) as n
           from registry r where r.contract = 'bench') g
     group by g.slot order by g.slot" | tr '|' '\t'
echo
echo "runs by outcome:"
sql "select status, count(*) from gc_run where registry_id in (select id from registry where contract = 'bench')
     group by status" | tr '|' '\t'
bad=$(sql "select count(*) from registry r where r.contract = 'bench' and (select count(*) from gc_run x
           where x.registry_id = r.id and x.scheduled_for = (current_date + r.gc_time)::timestamptz) <> 1")
if [ "$bad" != 0 ]; then
  echo "FAIL: $bad registries did not get exactly one run for their slot" >&2
  exit 1
fi
echo "OK: every registry got exactly one run for its slot"
