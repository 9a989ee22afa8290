# Shared helpers of the bench/ scripts: start and stop packaged instances on one PostgreSQL.
# Instance 1 starts the embedded PostgreSQL on a fixed loopback port; the others use it as an external database.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
WORK="${WORK:-$(mktemp -d /tmp/registry-bench.XXXXXX)}"
PG_PORT="${PG_PORT:-55432}"
# the JVM options recommended in the README (Dockerfile.jvm sets the same): the throughput collector, and a heap
# bound (the default initial heap alone is 1/64 of the machine's memory; the data plane's memory is flat)
JAVA_OPTS="${JAVA_OPTS:--XX:+UseParallelGC -Xmx128m}"
# the java launcher (JAVA=/path/to/jdk-25/bin/java to measure a newer JDK, e.g. with its AOT cache)
JAVA="${JAVA:-java}"
BENCH_USER=bench
BENCH_PASSWORD=bench-password
PIDS=()

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "needs $1 (Debian: apt-get install $2)" >&2; exit 2; }
}

build_if_needed() {
  if [ ! -f "$JAR" ]; then
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  fi
}

prepare_work_dir() {
  mkdir -p "$WORK/config"
  printf '%s=%s\n' "$BENCH_USER" "$(printf '%s' "$BENCH_USER:registry-service:$BENCH_PASSWORD" | md5sum | cut -d' ' -f1)" \
    > "$WORK/config/users.properties"
  printf '%s=owner,contract:bench\n' "$BENCH_USER" > "$WORK/config/roles.properties"
  chmod 600 "$WORK/config/"*.properties
}

# start_instance N [extra env...]: instance N listens on 18080+N (its management interface, with health and metrics,
# on 19080+N); instance 1 owns the embedded PostgreSQL.
start_instance() {
  local n=$1; shift
  local port=$((18080 + n))
  local management=$((19080 + n))
  local env=(QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management REGISTRY_EMBEDDED_POSTGRES_PORT=$PG_PORT
             REGISTRY_EMBEDDED_POSTGRES_DATA_DIR="$WORK/pgdata")
  if [ "$n" != 1 ]; then
    env+=(QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://localhost:$PG_PORT/postgres
          QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:$PG_PORT/postgres
          QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD="$(pg_password)")
  fi
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  (cd "$WORK" && exec env "${env[@]}" "$@" "$JAVA" $JAVA_OPTS -jar "$JAR" > "$WORK/instance-$n.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "http://localhost:$management/q/health/ready"; then
      echo "instance $n ready on port $port"
      return 0
    fi
    sleep 0.05
  done
  echo "instance $n did not become ready; see $WORK/instance-$n.log" >&2
  exit 1
}

stop_instances() {
  # the last started first: instance 1 owns the database
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  PIDS=()
  # the embedded PostgreSQL stops with instance 1; wait until its port is free
  for _ in $(seq 1 60); do
    (echo > "/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null || return 0
    sleep 0.5
  done
}

# begin: the common start of a script: the tools it needs, the jar, a work directory, cleanup at exit
begin() {
  require psql postgresql-client
  require curl curl
  build_if_needed
  prepare_work_dir
  trap stop_instances EXIT
}

# the embedded PostgreSQL's password, which instance 1 generated in its data directory
pg_password() {
  cat "$WORK/pgdata/registry-service.password"
}

sql() {
  PGPASSWORD="$(pg_password)" psql -h localhost -p "$PG_PORT" -U postgres -d postgres -Atq -c "$1"
}

# insert_registries COUNT PREFIX [DAYS] [TIME] [NEXT_RUN]: registries of contract 'bench' straight
# into the database (the scripts measure reads or GC, not POSTs), RUNNING, named PREFIX-0000001 …, each with its next
# GC slot in gc_schedule (the GC feature's table) at NEXT_RUN (an SQL expression; default in 3 days)
insert_registries() {
  local count=$1 prefix=$2 days=${3:-64} time=${4:-"'01:23'"} next=${5:-"now() + interval '3 days'"}
  sql "insert into registry (id, contract, name, location, hostname, state, gc_days, gc_time,
         vulnerability_scanning, created_by, created_by_user_id, created_date, last_modified_by,
         last_modified_by_user_id, last_modified_date)
       select gen_random_uuid(), 'bench', '$prefix-' || lpad(g::text, 7, '0'), 'de/fra',
         '$prefix-' || g || '.cr.example.com', 'RUNNING', $days, $time, true, 'bench', 'bench', now(), 'bench',
         'bench', now()
       from generate_series(1, $count) g;
       insert into gc_schedule (registry_id, next_run)
       select id, $next from registry where contract = 'bench' and name like '$prefix-%'
       on conflict (registry_id) do nothing"
  # as autovacuum would soon: without statistics the planner sorts the whole contract instead of walking the index
  sql "analyze registry"
}

api() {
  local method=$1 path=$2; shift 2
  curl -fs -u "$BENCH_USER:$BENCH_PASSWORD" -X "$method" -H 'Content-Type: application/json' \
    "http://localhost:18081$path" "$@"
}

# start_s3proxy: S3Proxy (the jar the build copies to target/s3proxy, as the tests use) on $S3_PORT with its objects
# in $WORK/s3, anonymous, and an empty bucket $S3_BUCKET; prints the environment an instance needs to store blobs there
S3_PORT="${S3_PORT:-18333}"
S3_BUCKET="${S3_BUCKET:-registry-bench}"
S3PROXY_PID=""
start_s3proxy() {
  local jar="$ROOT/target/s3proxy/s3proxy.jar"
  [ -f "$jar" ] || (cd "$ROOT" && ./mvnw -B -q process-test-resources)
  mkdir -p "$WORK/s3"
  cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=none
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$WORK/s3
CONF
  java -Xmx512m -jar "$jar" --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break; sleep 0.2; done
  curl -fsS -X PUT -o /dev/null "http://127.0.0.1:$S3_PORT/$S3_BUCKET"
  echo "S3Proxy on port $S3_PORT, bucket $S3_BUCKET" >&2
}

# the settings of an instance whose blobs are in start_s3proxy's bucket
S3_ENV=(REGISTRY_STORAGE_TYPE=s3 REGISTRY_STORAGE_S3_BUCKET="${S3_BUCKET}" REGISTRY_STORAGE_S3_PATH_STYLE_ACCESS=true
        REGISTRY_STORAGE_S3_ENDPOINT="http://127.0.0.1:${S3_PORT}" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench)

stop_s3proxy() {
  [ -z "$S3PROXY_PID" ] || { kill "$S3PROXY_PID" 2>/dev/null || true; wait "$S3PROXY_PID" 2>/dev/null || true; }
  S3PROXY_PID=""
}
