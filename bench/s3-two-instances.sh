#!/usr/bin/env bash
# Scale-out check: two instances on one PostgreSQL and one S3 (S3Proxy), no shared disk between them (each its own
# working directory; the blob store is S3). Fails unless:
#   - an image pushed with skopeo through instance 1 is pulled whole through instance 2 (same manifest digest, every
#     blob byte-identical);
#   - a chunked upload started on instance 1 (a chunk crossing S3 part edges) and continued and finished on
#     instance 2 gives a blob whose bytes and digest are right, read back through instance 1;
#   - deleting the tag and running GC removes the objects from the bucket (it shrinks by the freed bytes).
#
#   bench/s3-two-instances.sh   # LAYER_MIB=24; needs skopeo, curl, sha256sum, jq
source "$(dirname "$0")/lib.sh"
LAYER_MIB="${LAYER_MIB:-24}"
require skopeo skopeo
require jq jq
begin
trap 'stop_instances; stop_s3proxy' EXIT
start_s3proxy
start_instance 1 REGISTRY_GC_POLL_INTERVAL=1s REGISTRY_GC_GRACE_PERIOD=0s "${S3_ENV[@]}"
start_instance 2 REGISTRY_GC_POLL_INTERVAL=1s REGISTRY_GC_GRACE_PERIOD=0s "${S3_ENV[@]}"
ONE=http://localhost:18081 TWO=http://localhost:18082
CREDS="$BENCH_USER:$BENCH_PASSWORD"
ID=$(api POST /registries -d '{"properties": {"name": "demo", "location": "de/fra"}}' | jq -r .id)
for _ in $(seq 1 50); do
  [ "$(api GET "/registries/$ID" | jq -r .metadata.state)" = RUNNING ] && break
  sleep 0.2
done
fail() { echo "FAIL: $*" >&2; exit 1; }
bucket_bytes() { du -sb "$WORK/s3/$S3_BUCKET" | cut -f1; }

echo "1. skopeo push through instance 1, pull through instance 2"
LAYOUT="$WORK/layout"
mkdir -p "$LAYOUT/blobs/sha256"
blob() { # file -> digest hex, stored in the layout
  local hex; hex=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$LAYOUT/blobs/sha256/$hex"; echo "$hex"
}
head -c $((LAYER_MIB * 1024 * 1024)) /dev/urandom | gzip -1 > "$WORK/layer" # gzip, as its media type says (else skopeo compresses it)
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$WORK/image-config"
L=$(blob "$WORK/layer") C=$(blob "$WORK/image-config")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
  "$C" "$(stat -c %s "$WORK/image-config")" "$L" "$(stat -c %s "$WORK/layer")" > "$WORK/manifest"
M=$(blob "$WORK/manifest")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
  "$M" "$(stat -c %s "$WORK/manifest")" > "$LAYOUT/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$LAYOUT/oci-layout"
skopeo copy -q --dest-tls-verify=false --dest-creds "$CREDS" "oci:$LAYOUT:1" docker://localhost:18081/demo/team/app:1
skopeo copy -q --src-tls-verify=false --src-creds "$CREDS" docker://localhost:18082/demo/team/app:1 "oci:$WORK/back:1"
for hex in "$M" "$C" "$L"; do
  cmp -s "$LAYOUT/blobs/sha256/$hex" "$WORK/back/blobs/sha256/$hex" || fail "blob sha256:$hex differs after the round trip"
done
echo "   same manifest digest sha256:$M and byte-identical blobs"

echo "2. a chunked upload started on instance 1, finished on instance 2"
head -c $((13 * 1024 * 1024 + 7)) /dev/urandom > "$WORK/chunked"
DIGEST="sha256:$(sha256sum "$WORK/chunked" | cut -d' ' -f1)"
head -c $((6 * 1024 * 1024)) "$WORK/chunked" > "$WORK/chunk1"
tail -c +$((6 * 1024 * 1024 + 1)) "$WORK/chunked" > "$WORK/chunk2"
location() { tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}'; }
LOC=$(curl -fsS -u "$CREDS" -X POST -D - -o /dev/null "$ONE/v2/demo/team/chunked/blobs/uploads/" | location)
LOC=$(curl -fsS -u "$CREDS" -X PATCH -H 'Content-Type: application/octet-stream' \
  -H "Content-Range: 0-$((6 * 1024 * 1024 - 1))" --data-binary @"$WORK/chunk1" -D - -o /dev/null "$ONE$LOC" | location)
SIZE=$(stat -c %s "$WORK/chunked")
RANGE=$(curl -fsS -u "$CREDS" -X PATCH -H 'Content-Type: application/octet-stream' \
  -H "Content-Range: $((6 * 1024 * 1024))-$((SIZE - 1))" --data-binary @"$WORK/chunk2" -D - -o /dev/null "$TWO$LOC" \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="range" {print $2}')
[ "$RANGE" = "0-$((SIZE - 1))" ] || fail "instance 2 answered Range $RANGE after the second chunk"
curl -fsS -u "$CREDS" -X PUT -o /dev/null "$TWO$LOC?digest=$DIGEST" || fail "instance 2 did not finish the upload"
GOT="sha256:$(curl -fsS -u "$CREDS" "$ONE/v2/demo/team/chunked/blobs/$DIGEST" | sha256sum | cut -d' ' -f1)"
[ "$GOT" = "$DIGEST" ] || fail "the blob read through instance 1 has digest $GOT, not $DIGEST"
echo "   $DIGEST ($SIZE bytes) whole through both instances"

echo "3. GC removes the objects"
BEFORE=$(bucket_bytes)
curl -fsS -u "$CREDS" -X DELETE -o /dev/null "$TWO/v2/demo/team/app/manifests/sha256:$M"
curl -fsS -u "$CREDS" -X DELETE -o /dev/null "$TWO/v2/demo/team/chunked/blobs/$DIGEST"
RUN=$(api POST "/registries/$ID/garbage-collections" -d '{"dryRun": false}' | jq -r .id)
for _ in $(seq 1 100); do
  STATUS=$(api GET "/registries/$ID/garbage-collections/$RUN" | jq -r .properties.status)
  case "$STATUS" in SUCCEEDED|FAILED) break ;; esac
  sleep 0.2
done
[ "$STATUS" = SUCCEEDED ] || fail "the GC run ended $STATUS"
FREED=$(api GET "/registries/$ID/garbage-collections/$RUN" | jq -r .properties.freedBytes)
# the blob DELETE's bytes go right after its answer, in the background: wait until nothing is queued
for _ in $(seq 1 100); do [ "$(sql "select count(*) from storage_deletion")" = 0 ] && break; sleep 0.2; done
AFTER=$(bucket_bytes)
echo "   bucket: $BEFORE bytes before, $AFTER after; the run freed $FREED bytes"
[ $((BEFORE - AFTER)) -ge "$FREED" ] || fail "the bucket shrank by $((BEFORE - AFTER)) bytes, less than the $FREED freed"
[ "$(find "$WORK/s3/$S3_BUCKET" -type f -path "*blobs/$ID*" | wc -l)" = 0 ] || fail "blob objects of the registry remain"
echo OK
