#!/usr/bin/env bash
# Trains the JVM's AOT cache (JDK 25 or newer: JEP 483/514/515) for the packaged application: starts it with
# -XX:AOTCacheOutput on a throwaway embedded PostgreSQL, sends it the requests its clients send most (the management
# API's reads, a push and pulls on the data plane), and stops it; the JVM writes the cache as it exits. A JVM started
# with -XX:AOTCache=<that file> then starts faster and serves near its steady rate sooner (docs/benchmarks.md).
# Only the JVM that trained the cache can use it: Dockerfile.jvm runs this in a stage of the same image.
#
#   src/main/docker/train-aot-cache.sh target/quarkus-app [app.aot]   # JAVA=/path/to/jdk-25/bin/java; needs curl
#   java -XX:AOTCache=target/quarkus-app/app.aot -jar target/quarkus-app/quarkus-run.jar
set -euo pipefail

APP="$(cd "${1:?usage: train-aot-cache.sh <quarkus-app directory> [cache file]}" && pwd)"
CACHE="${2:-$APP/app.aot}"
JAVA="${JAVA:-java}"
ROUNDS="${ROUNDS:-300}"
PORT="${TRAINING_PORT:-18480}"
MANAGEMENT_PORT="${TRAINING_MANAGEMENT_PORT:-18490}"
WORK="$(mktemp -d)"
USER_NAME=training
PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
BASE="http://127.0.0.1:$PORT"
PID=""

cleanup() {
  [ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

"$JAVA" -XX:AOTCacheOutput=/dev/null -version > /dev/null 2>&1 \
  || { echo "$JAVA has no AOT cache (JDK 25 or newer needed)" >&2; exit 2; }

mkdir -p "$WORK/config"
printf '%s=%s\n' "$USER_NAME" "$(printf '%s' "$USER_NAME:registry-service:$PASSWORD" | md5sum | cut -d' ' -f1)" \
  > "$WORK/config/users.properties"
printf '%s=owner,contract:training\n' "$USER_NAME" > "$WORK/config/roles.properties"
chmod 600 "$WORK/config/"*.properties

# the options of the image (Dockerfile.jvm), so that the cache matches the runs that use it
# shellcheck disable=SC2086 # TRAINING_JAVA_OPTS holds several options
(cd "$WORK" && exec env QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
  REGISTRY_EMBEDDED_POSTGRES_PERSISTENT=false REGISTRY_GC_POLL_INTERVAL=off \
  "$JAVA" ${TRAINING_JAVA_OPTS:--XX:+UseParallelGC -Xmx128m} -XX:AOTCacheOutput="$CACHE" \
  -jar "$APP/quarkus-run.jar" > "$WORK/training.log" 2>&1) &
PID=$!
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/training.log" >&2; exit 1; }
  sleep 0.1
done

api() { curl -fsS -u "$USER_NAME:$PASSWORD" -H 'Content-Type: application/json' "$@"; }

ids=()
for n in 1 2 3; do
  ids+=("$(api -X POST "$BASE/registries" -d "{\"properties\": {\"name\": \"training-$n\", \"location\": \"de/fra\"}}" \
    | sed -n 's/.*"id" *: *"\([0-9a-f-]*\)".*/\1/p')")
done
for _ in $(seq 1 100); do
  [ "$(api "$BASE/registries?limit=10" | grep -o RUNNING | wc -l)" -ge 3 ] && break
  sleep 0.1
done

# a small image pushed as clients do it: a monolithic blob upload, a config, a manifest
printf 'training layer' > "$WORK/layer"
printf '{"architecture":"amd64","os":"linux"}' > "$WORK/config.json"
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
LAYER="$(digest "$WORK/layer")"
CONFIG="$(digest "$WORK/config.json")"
V2="$BASE/v2/training-1/app"
for blob in layer config.json; do
  api -X POST --data-binary @"$WORK/$blob" -H 'Content-Type: application/octet-stream' -o /dev/null \
    "$V2/blobs/uploads/?digest=$(digest "$WORK/$blob")"
done
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}' \
  "$CONFIG" "$(wc -c < "$WORK/config.json")" "$LAYER" "$(wc -c < "$WORK/layer")" > "$WORK/manifest.json"
api -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$WORK/manifest.json" \
  -o /dev/null "$V2/manifests/1"

# the reads, $ROUNDS times each, $PARALLEL at a time over kept-alive connections (one curl for all; "next" starts a
# request's options)
read_of() { # url [header]
  printf 'next\nurl = "%s"\noutput = /dev/null\nuser = "%s:%s"\nsilent\nwrite-out = "%%{http_code}\\n"\n' \
    "$1" "$USER_NAME" "$PASSWORD"
  [ -z "${2:-}" ] || printf 'header = "%s"\n' "$2"
}
{
  for _ in $(seq 1 "$ROUNDS"); do
    for id in "${ids[@]}"; do read_of "$BASE/registries/$id"; done
    read_of "$BASE/registries?limit=100"
    read_of "$V2/manifests/1" "Accept: application/vnd.oci.image.manifest.v1+json"
    read_of "$V2/blobs/$LAYER"
    read_of "$V2/tags/list"
  done
} > "$WORK/reads.curl"
# every read must have succeeded: a training run of error paths would train the wrong code
answers=$(curl --parallel --parallel-max "${PARALLEL:-16}" -K "$WORK/reads.curl" | sort | uniq -c)
echo "training reads (count, status): $(echo "$answers" | tr '\n' ' ')"
if echo "$answers" | awk '$2 !~ /^2/ {bad = 1} END {exit !bad}'; then
  echo "some training reads failed" >&2; exit 1
fi

kill -TERM "$PID"
wait "$PID" || true
PID=""
grep -q "AOTCache creation is complete" "$WORK/training.log" \
  || { echo "the JVM wrote no AOT cache:" >&2; tail -20 "$WORK/training.log" >&2; exit 1; }
echo "AOT cache written: $CACHE ($(du -h "$CACHE" | cut -f1))"
