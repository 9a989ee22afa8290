#!/usr/bin/env bash
# Benchmark: 100,000 registries due in one GC slot. Prints the time from the slot until every run finished,
# with one instance and with two on the same PostgreSQL (a fresh embedded database for each measurement).
#
#   bench/gc-100k.sh                     # REGISTRIES=100000 INSTANCES="1 2"; needs java, curl, psql
source "$(dirname "$0")/lib.sh"
REGISTRIES="${REGISTRIES:-100000}"
INSTANCES="${INSTANCES:-1 2}"
require psql postgresql-client
require curl curl
build_if_needed

measure() {
  local instances=$1; shift
  WORK=$(mktemp -d /tmp/registry-bench.XXXXXX)
  prepare_work_dir
  for n in $(seq 1 "$instances"); do
    start_instance "$n" REGISTRY_GC_POLL_INTERVAL=1s "$@"
  done
  # the registries go straight into the database: this measures GC, not 100,000 POSTs
  local slot
  slot=$(sql "select to_char(date_trunc('second', now()) + interval '20 seconds', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
  insert_registries "$REGISTRIES" bench 127 "('$slot'::timestamptz at time zone 'UTC')::time" "'$slot'::timestamptz"
  echo "$REGISTRIES registries due at $slot"
  local slot_epoch done=0
  slot_epoch=$(date -u -d "$slot" +%s)
  while [ "$(date -u +%s)" -lt "$slot_epoch" ]; do sleep 0.2; done
  local start=$(date +%s.%N)
  while [ "$done" -lt "$REGISTRIES" ]; do
    sleep 1
    done=$(sql "select count(*) from gc_run where status in ('SUCCEEDED', 'FAILED', 'SKIPPED')")
    printf '\r  %6d s: %d runs finished' "$(printf '%.0f' "$(echo "$(date +%s.%N) - $start" | bc)")" "$done"
  done
  local seconds
  seconds=$(echo "$(date +%s.%N) - $slot_epoch" | bc)
  echo
  local failed
  failed=$(sql "select count(*) from gc_run where status <> 'SUCCEEDED'")
  local per_slot
  per_slot=$(sql "select max(n) from (select count(*) as n from gc_run group by registry_id, scheduled_for) x")
  printf 'RESULT instances=%d registries=%d seconds=%.1f runs/s=%.0f not-succeeded=%d max-runs-per-slot=%d\n' \
    "$instances" "$REGISTRIES" "$seconds" "$(echo "$REGISTRIES / $seconds" | bc -l)" "$failed" "$per_slot"
  stop_instances
  rm -rf "$WORK"
}

trap stop_instances EXIT
for instances in $INSTANCES; do
  measure "$instances" ${EXTRA_ENV:-}
done
