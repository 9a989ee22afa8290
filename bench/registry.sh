#!/usr/bin/env bash
# Data-plane benchmark against CNCF distribution 2.8 (Debian package docker-registry, filesystem storage), on the
# same machine, one after the other, with the same client (curl, wrk):
#   - push of a $LAYER_MIB MiB random layer as clients do (POST, one streamed PATCH, PUT ?digest=): MB/s, the
#     median of $REPEAT pushes to new repositories;
#   - pull of the same layer (GET, to /dev/null): MB/s, the median of $REPEAT;
#   - manifest GET by tag at $CONNECTIONS connections for $DURATION (wrk): requests/s and p99;
#   - the service's RSS during the push (largest of samples every 0.1 s), and the peer's for comparison.
# Prints each figure for both and the ratio service / distribution (for p99 and RSS lower is better).
# The service uses Basic auth (as deployed); distribution runs without auth (its htpasswd auth is bcrypt per request,
# which would make the comparison unfair in the service's favour).
#
#   bench/registry.sh   # LAYER_MIB=1024 CONNECTIONS=64 DURATION=20s REPEAT=5; needs wrk, docker-registry, curl, sha256sum
source "$(dirname "$0")/lib.sh"
LAYER_MIB="${LAYER_MIB:-1024}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20s}"
PEER_PORT="${PEER_PORT:-5055}"
REPEAT="${REPEAT:-5}"
require wrk wrk
require docker-registry docker-registry
require bc bc
begin

start_instance 1 REGISTRY_GC_POLL_INTERVAL=off
SERVICE_PID=${PIDS[0]}
api POST /registries -d '{"properties": {"name": "bench", "location": "de/fra"}}' > /dev/null
for _ in $(seq 1 50); do
  [ "$(api GET "/registries?limit=1" | grep -c RUNNING)" -gt 0 ] && break
  sleep 0.2
done

cat > "$WORK/distribution.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $WORK/distribution}
  delete: {enabled: true}
http: {addr: "127.0.0.1:$PEER_PORT"}
YML
docker-registry serve "$WORK/distribution.yml" > "$WORK/distribution.log" 2>&1 &
PEER_PID=$!
trap 'kill $PEER_PID 2>/dev/null || true; stop_instances' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$PEER_PORT/v2/" && break; sleep 0.1; done

echo "writing a $LAYER_MIB MiB random layer"
head -c "$((LAYER_MIB * 1024 * 1024))" /dev/urandom > "$WORK/layer"
LAYER_DIGEST="sha256:$(sha256sum "$WORK/layer" | cut -d' ' -f1)"
printf '{"architecture":"amd64","os":"linux"}' > "$WORK/config.json"
CONFIG_DIGEST="sha256:$(sha256sum "$WORK/config.json" | cut -d' ' -f1)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}' \
  "$CONFIG_DIGEST" "$(stat -c %s "$WORK/config.json")" "$LAYER_DIGEST" "$(stat -c %s "$WORK/layer")" > "$WORK/manifest.json"
MANIFEST_TYPE=application/vnd.oci.image.manifest.v1+json

# the largest RSS (MiB) of a process while a command runs
max_rss_during() { # pid command...
  local pid=$1; shift
  local file="$WORK/rss.$pid"
  : > "$file"
  ( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$pid/status" >> "$file"; sleep 0.1; done ) &
  local sampler=$!
  "$@"
  kill $sampler 2>/dev/null || true
  wait $sampler 2>/dev/null || true
  sort -n "$file" | tail -1 | awk '{printf "%d", $1 / 1024}'
}

# upload: base (…/v2/<repo>) file digest [curl auth args...]: POST, one streamed PATCH, PUT ?digest=
upload() {
  local base=$1 file=$2 digest=$3; shift 3
  local location
  location=$(curl -fsS "$@" -X POST -D - -o /dev/null "$base/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')
  case "$location" in http*) ;; *) location="${base%%/v2/*}$location" ;; esac
  location=$(curl -fsS "$@" -X PATCH -H 'Content-Type: application/octet-stream' -T "$file" -D - -o /dev/null "$location" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')
  case "$location" in http*) ;; *) location="${base%%/v2/*}$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -fsS "$@" -X PUT -o /dev/null "$location"
}

seconds() { local start; start=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $start" | bc; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
mbps() { echo "scale=1; $LAYER_MIB * 1.048576 / $1" | bc; }

# push: name base pid [curl auth args...]: RSS during a first push, then the median of $REPEAT timed pushes to new
# repositories (nothing is skipped; the sampler costs a little CPU, so the timed ones run without it)
push() {
  local name=$1 base=$2 pid=$3; shift 3
  local rss pushes=()
  rss=$(max_rss_during "$pid" upload "$base" "$WORK/layer" "$LAYER_DIGEST" "$@")
  for i in $(seq 1 "$REPEAT"); do pushes+=("$(seconds upload "${base}$i" "$WORK/layer" "$LAYER_DIGEST" "$@")"); done
  eval "${name}_push=$(mbps "$(median "${pushes[@]}")") ${name}_rss=$rss"
}

# manifest: name base [curl auth args...]: pushes the manifest, then wrk on GET by tag
manifest() {
  local name=$1 base=$2; shift 2
  upload "$base" "$WORK/config.json" "$CONFIG_DIGEST" "$@"
  curl -fsS "$@" -X PUT -H "Content-Type: $MANIFEST_TYPE" --data-binary @"$WORK/manifest.json" -o /dev/null \
    "$base/manifests/bench"
  local header=()
  if [ $# -gt 0 ]; then header=(-H "Authorization: Basic $(printf '%s' "$BENCH_USER:$BENCH_PASSWORD" | base64 -w0)"); fi
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" -H "Accept: $MANIFEST_TYPE" \
    "$base/manifests/bench" > "$WORK/wrk-$name.txt"
  eval "${name}_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$name.txt")"
  eval "${name}_p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$WORK/wrk-$name.txt")"
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$name.txt")
  [ -z "$non2xx" ] || echo "WARNING: $name answered $non2xx non-2xx responses" >&2
}

SERVICE="http://localhost:18081/v2/bench/app"
PEER="http://127.0.0.1:$PEER_PORT/v2/app"
AUTH=(-u "$BENCH_USER:$BENCH_PASSWORD")
echo "pushing to CNCF distribution 2.8, then to registry-service"
push peer "$PEER" "$PEER_PID"
push service "$SERVICE" "$SERVICE_PID" "${AUTH[@]}"
# pulls alternate between the two, so that both see the same state of the machine (page cache, other load)
echo "pulling from both, alternately"
service_pulls=() peer_pulls=()
for i in $(seq 1 "$REPEAT"); do
  service_pulls+=("$(seconds curl -fsS "${AUTH[@]}" -o /dev/null "$SERVICE/blobs/$LAYER_DIGEST")")
  peer_pulls+=("$(seconds curl -fsS -o /dev/null "$PEER/blobs/$LAYER_DIGEST")")
done
service_pull=$(mbps "$(median "${service_pulls[@]}")")
peer_pull=$(mbps "$(median "${peer_pulls[@]}")")
echo "manifest GETs"
manifest peer "$PEER"
manifest service "$SERVICE" "${AUTH[@]}"

ratio() { echo "scale=2; $1 / $2" | bc; }
printf '\n%-28s %14s %14s %8s\n' "figure" "service" "distribution" "ratio"
printf '%-28s %14s %14s %8s\n' "push ${LAYER_MIB} MiB (MB/s)" "$service_push" "$peer_push" "$(ratio "$service_push" "$peer_push")"
printf '%-28s %14s %14s %8s\n' "pull ${LAYER_MIB} MiB (MB/s)" "$service_pull" "$peer_pull" "$(ratio "$service_pull" "$peer_pull")"
printf '%-28s %14s %14s %8s\n' "manifest GET c$CONNECTIONS (req/s)" "$service_rps" "$peer_rps" "$(ratio "$service_rps" "$peer_rps")"
printf '%-28s %14s %14s %8s\n' "manifest GET p99 (ms)" "$service_p99" "$peer_p99" "$(ratio "$service_p99" "$peer_p99")"
printf '%-28s %14s %14s %8s\n' "max RSS during push (MiB)" "$service_rss" "$peer_rss" "$(ratio "$service_rss" "$peer_rss")"
echo "JAVA_OPTS=$JAVA_OPTS; work directory $WORK"
