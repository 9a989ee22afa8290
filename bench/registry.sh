#!/usr/bin/env bash
# Data-plane benchmark against CNCF distribution 2.8 (Debian package docker-registry, filesystem storage), on the
# same machine, one after the other, with the same client (curl, wrk):
#   - push of a $LAYER_MIB MiB random layer as clients do (POST, one streamed PATCH, PUT ?digest=): MB/s, the
#     median of $REPEAT pushes to new repositories;
#   - pull of the same layer (GET, to /dev/null): MB/s, the median of $PULLS pulls alternating with distribution's
#     (loopback throughput varies a lot between runs on a shared machine: each pair is printed);
#   - manifest GET by tag at $CONNECTIONS connections for $DURATION (wrk): requests/s and p99;
#   - the service's RSS during the push (largest of samples every 0.1 s), and the peer's for comparison.
# Push, pull and RSS are measured once per blob store of the service ($STORES: the directory store, and S3 on an
# S3Proxy started here: S3Proxy writes to the same disk, so the S3 figures show the store's own cost, not S3's).
# Prints each figure for each and the ratio service / distribution (for p99 and RSS lower is better).
# The service uses Basic auth (as deployed); distribution runs without auth (its htpasswd auth is bcrypt per request,
# which would make the comparison unfair in the service's favour).
#
#   bench/registry.sh   # LAYER_MIB=1024 CONNECTIONS=64 DURATION=20s REPEAT=5 PULLS=9 STORES="filesystem s3";
#                       # needs wrk, docker-registry, curl, sha256sum
source "$(dirname "$0")/lib.sh"
LAYER_MIB="${LAYER_MIB:-1024}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20s}"
PEER_PORT="${PEER_PORT:-5055}"
REPEAT="${REPEAT:-5}"
PULLS="${PULLS:-9}"
STORES="${STORES:-filesystem s3}"
require wrk wrk
require docker-registry docker-registry
require bc bc
begin

# start_service store: instance 1 with its blobs in that store, and the registry "bench"
start_service() {
  local store=$1
  if [ "$store" = s3 ]; then
    [ -n "$S3PROXY_PID" ] || start_s3proxy
    start_instance 1 REGISTRY_GC_POLL_INTERVAL=off "${S3_ENV[@]}"
  else
    start_instance 1 REGISTRY_GC_POLL_INTERVAL=off
  fi
  SERVICE_PID=${PIDS[0]}
  api POST /registries -d '{"properties": {"name": "bench", "location": "de/fra"}}' > /dev/null || true
  for _ in $(seq 1 50); do
    [ "$(api GET "/registries?limit=1" | grep -c RUNNING)" -gt 0 ] && break
    sleep 0.2
  done
}

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
trap 'kill $PEER_PID 2>/dev/null || true; stop_instances; stop_s3proxy' EXIT
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
echo "pushing to CNCF distribution 2.8"
push peer "$PEER" "$PEER_PID"
peer_pulls=()
first=""
for store in $STORES; do
  echo "registry-service with the $store store: pushing, then pulling from it and distribution alternately"
  start_service "$store"
  # each store's pushes go to repositories of their own
  push "service_$store" "$SERVICE$store" "$SERVICE_PID" "${AUTH[@]}"
  pulls=()
  # pulls serve from the page cache: the pushes' writeback to the disk is over first, so that it slows neither
  sync
  for i in $(seq 1 "$PULLS"); do
    pulls+=("$(seconds curl -fsS "${AUTH[@]}" -o /dev/null "$SERVICE$store/blobs/$LAYER_DIGEST")")
    peer_pulls+=("$(seconds curl -fsS -o /dev/null "$PEER/blobs/$LAYER_DIGEST")")
    echo "  pull $i: service $(mbps "${pulls[-1]}") MB/s, distribution $(mbps "${peer_pulls[-1]}") MB/s"
  done
  eval "service_${store}_pull=$(mbps "$(median "${pulls[@]}")")"
  if [ -z "$first" ]; then
    first=$store
    echo "manifest GETs"
    manifest peer "$PEER"
    manifest service "$SERVICE$store" "${AUTH[@]}"
  fi
  stop_instances
done
peer_pull=$(mbps "$(median "${peer_pulls[@]}")")

ratio() { echo "scale=2; $1 / $2" | bc; }
row() { printf '%-34s %14s %14s %8s\n' "$@"; }
printf '\n'
row "figure" "service" "distribution" "ratio"
for store in $STORES; do
  push_v="service_${store}_push" pull_v="service_${store}_pull" rss_v="service_${store}_rss"
  row "push ${LAYER_MIB} MiB, $store (MB/s)" "${!push_v}" "$peer_push" "$(ratio "${!push_v}" "$peer_push")"
  row "pull ${LAYER_MIB} MiB, $store (MB/s)" "${!pull_v}" "$peer_pull" "$(ratio "${!pull_v}" "$peer_pull")"
  row "max RSS during push, $store (MiB)" "${!rss_v}" "$peer_rss" "$(ratio "${!rss_v}" "$peer_rss")"
done
row "manifest GET c$CONNECTIONS (req/s)" "$service_rps" "$peer_rps" "$(ratio "$service_rps" "$peer_rps")"
row "manifest GET p99 (ms)" "$service_p99" "$peer_p99" "$(ratio "$service_p99" "$peer_p99")"
echo "JAVA_OPTS=$JAVA_OPTS; work directory $WORK"
