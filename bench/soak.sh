#!/usr/bin/env bash
# Soak: $CONNECTIONS connections for $DURATION of mixed reads and writes (80 % GET /registries/{id}, 20 % POST
# /registries with unique names). Passes with zero socket errors and zero non-2xx responses.
#
#   bench/soak.sh             # CONNECTIONS=256 DURATION=60s; needs wrk, psql, curl
source "$(dirname "$0")/lib.sh"
CONNECTIONS="${CONNECTIONS:-256}"
DURATION="${DURATION:-60s}"
require wrk wrk
begin
start_instance 1 QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=40

insert_registries 2000 soak-seed
sql "select id from registry where contract = 'bench'" > "$WORK/ids.txt"
AUTH="Basic $(printf '%s' "$BENCH_USER:$BENCH_PASSWORD" | base64 -w0)"
cat > "$WORK/mixed.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
local counter = 0
function setup(thread) thread:set("prefix", "w" .. tostring(math.random(1, 1000000000))) end
function init(args) math.randomseed(os.time() + math.random(1, 100000)) end
wrk.headers["Authorization"] = "$AUTH"
wrk.headers["Content-Type"] = "application/json"
prefix = prefix or "w"
request = function()
  counter = counter + 1
  if counter % 5 == 0 then
    local body = '{"properties":{"name":"soak-' .. prefix .. '-' .. counter .. '","location":"de/fra"}}'
    return wrk.format("POST", "/registries", nil, body)
  end
  return wrk.format("GET", "/registries/" .. ids[math.random(#ids)])
end
LUA
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$WORK/mixed.lua" http://localhost:18081 \
  | tee "$WORK/wrk-soak.txt"
created=$(sql "select count(*) from registry where name like 'soak-w%'")
echo "registries created by the load: $created"
if grep -qE 'Non-2xx|Socket errors' "$WORK/wrk-soak.txt"; then
  echo "FAIL: errors or non-2xx responses" >&2
  exit 1
fi
echo "OK: zero errors, zero non-2xx"
