#!/usr/bin/env bash
# Smoke test of the compose topology with podman, from the image tarballs that
# `mvn -B -ntp -Pimages -DskipTests package` writes: the same services, names and environment
# variables as compose/compose.yaml, started with `podman run --network=host` (every port on
# 127.0.0.1, so each service gets its own ports, offset from the compose ones to stay clear of a
# local cluster), the group-coordinators on a PostgreSQL database on this machine (no registry
# is reachable for a postgres image; .ci/postgres provides the server).
#
# Checks, in order; exit 0 only when all pass:
#   1. the seed demo through the tributary image: a topic with RF 3, produce, consume in a
#      group, describe the group;
#   2. the ZooKeeper HA test: create a znode, kill the ZooKeeper leader container, read the
#      znode back from both survivors, while produce and consume keep working;
#   3. kill a broker container: the ISR shrinks; start it again: the ISR grows back.
# Everything it starts (containers, volumes, the database) is removed on exit.
#
# Environment: SMOKE_PODMAN (default "podman --runtime runc --cgroup-manager=cgroupfs"),
# SMOKE_KEEP=1 leaves the containers running for a look, SMOKE_PG_URL/_USER/_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a PODMAN <<< "${SMOKE_PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}"
RUN_FLAGS=(--network=host --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
PREFIX=tributary-smoke
DB=tributary_smoke
PG_URL="${SMOKE_PG_URL:-jdbc:postgresql://127.0.0.1:5432/$DB}"
PG_USER="${SMOKE_PG_USER:-tributary}"
PG_PASSWORD="${SMOKE_PG_PASSWORD:-tributary}"

# name | HTTP port | Kafka port (the compose ports + 20000)
ZK_PORTS=(22181 22182 22183)
ZK_SERVERS="server.1=127.0.0.1:22888:23888;22181 server.2=127.0.0.1:22889:23889;22182 server.3=127.0.0.1:22890:23890;22183"
ZK_CONNECT="127.0.0.1:22181,127.0.0.1:22182,127.0.0.1:22183"
BOOTSTRAP="127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094"
METADATA_URL="http://127.0.0.1:28090"
TOPIC=smoke-demo
GROUP=smoke-readers

started=()
volumes=()
created_db=0
passed=0
SECONDS=0

say() { printf 'smoke [%3ds]: %s\n' "$SECONDS" "$*"; }
fail() {
  say "FAILED: $*" >&2
  for name in "${started[@]}"; do
    echo "--- last lines of $name" >&2
    "${PODMAN[@]}" logs --tail 12 "$name" 2>&1 | grep -v '^\s*at ' | cut -c1-240 >&2 || true
  done
  exit 1
}
cleanup() {
  local rc=$?
  if [[ "${SMOKE_KEEP:-0}" == 1 ]]; then say "SMOKE_KEEP=1: leaving ${started[*]}"; return; fi
  for name in "${started[@]}"; do "${PODMAN[@]}" rm -f -t 2 "$name" >/dev/null 2>&1 || true; done
  for volume in "${volumes[@]}"; do "${PODMAN[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true; done
  if (( created_db )); then su postgres -c "dropdb --if-exists $DB" >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
four_letter() { # port word
  local answer
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf '%s' "$2" >&3
  answer="$(timeout 3 cat <&3 || true)"
  exec 3<&- 3>&-
  printf '%s' "$answer"
}
http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }
wait_for() { # seconds description command...
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    (( SECONDS < deadline )) || fail "$what not within ${limit}s"
    sleep 1
  done
}

load() { # tarball -> image name
  [[ -f "$1" ]] || fail "$1 is missing: build the images first (mvn -B -ntp -Pimages -DskipTests package)"
  "${PODMAN[@]}" load -i "$1" 2>/dev/null | sed -n 's/^Loaded image: //p' | tail -1
}

run() { # name image [-e K=V]...
  local name="$PREFIX-$1" image="$2"; shift 2
  "${PODMAN[@]}" volume create "$name-data" >/dev/null
  volumes+=("$name-data")
  started+=("$name")
  "${PODMAN[@]}" run -d --name "$name" "${RUN_FLAGS[@]}" -v "$name-data:/var/lib/tributary" "$@" "$image" \
    >/dev/null || fail "could not start $name"
}

probe() { # name target: the image's own health-check command, as compose runs it
  "${PODMAN[@]}" exec "$PREFIX-$1" java -Xshare:auto -XX:TieredStopAtLevel=1 -cp '/app/libs/*' \
    io.tributary.probe.HealthCheck "$2" 2>/dev/null
}

cli() { # the tributary image as a client
  "${PODMAN[@]}" run --rm -i "${RUN_FLAGS[@]}" -e TRIBUTARY_BOOTSTRAP="$BOOTSTRAP" \
    -e TRIBUTARY_METADATA_URL="$METADATA_URL" -e JAVA_TOOL_OPTIONS="-Xmx128m -XX:TieredStopAtLevel=1" \
    "$CLI_IMAGE" "$@" 2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2)
}

zkcli() { # zk-N port args...: ZooKeeper's client inside a ZooKeeper container
  local name="$1" port="$2"; shift 2
  "${PODMAN[@]}" exec "$PREFIX-$name" java -Xmx64m -cp '/app/resources:/app/classes:/app/libs/*' \
    io.tributary.zookeeper.image.ZooKeeperEntrypoint cli -server "127.0.0.1:$port" "$@" 2>&1
}

command -v "${PODMAN[0]}" >/dev/null || fail "podman is not installed"
command -v curl >/dev/null || fail "curl is not installed"
for port in "${ZK_PORTS[@]}" 28090 28095 28081 28082 28083 29092 29093 29094 28091 28096 29192 29193; do
  port_open "$port" && fail "port $port is already in use"
done
for name in zk-1 zk-2 zk-3 metadata-1 metadata-2 broker-1 broker-2 broker-3 group-coordinator-1 group-coordinator-2; do
  "${PODMAN[@]}" rm -f -t 1 "$PREFIX-$name" >/dev/null 2>&1 || true   # left by a killed run
done

say "loading the images"
ZK_IMAGE="$(load images/zookeeper/target/jib-image.tar)"
METADATA_IMAGE="$(load metadata-service/target/jib-image.tar)"
BROKER_IMAGE="$(load broker-service/target/jib-image.tar)"
GROUP_IMAGE="$(load group-coordinator/target/jib-image.tar)"
CLI_IMAGE="$(load admin-cli/target/jib-image.tar)"

# The coordinators' shared group store
if [[ -z "${SMOKE_PG_URL:-}" ]]; then
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 || fail "no local PostgreSQL (run .ci/postgres first)"
  su postgres -c "dropdb --if-exists $DB && createdb -O $PG_USER $DB" >/dev/null || fail "could not create database $DB"
  created_db=1
fi

say "starting the ZooKeeper ensemble"
for id in 1 2 3; do
  run "zk-$id" "$ZK_IMAGE" -e ZOO_MY_ID="$id" -e ZOO_SERVERS="$ZK_SERVERS" -e JAVA_TOOL_OPTIONS=-Xmx128m
done
# (outputs are captured before grep looks at them: with pipefail, grep -q closing the pipe early
# would fail the writer)
zk_serving() { local p; for p in "${ZK_PORTS[@]}"; do [[ "$(four_letter "$p" ruok)" == imok ]] || return 1; \
  [[ "$(four_letter "$p" srvr)" =~ Mode:\ (leader|follower) ]] || return 1; done; }
wait_for 90 "a ZooKeeper quorum" zk_serving
for id in 1 2 3; do probe "zk-$id" "ruok://127.0.0.1:${ZK_PORTS[id-1]}" >/dev/null || fail "zk-$id health check"; done

service_env=(-e TRIBUTARY_ZOOKEEPER_CONNECT="$ZK_CONNECT" -e TRIBUTARY_ZOOKEEPER_CHROOT=/tributary)
say "starting 2 metadata-services, 3 brokers, 2 group-coordinators"
run metadata-1 "$METADATA_IMAGE" "${service_env[@]}" -e SERVER_PORT=28090 -e TRIBUTARY_METADATA_HOST=127.0.0.1 \
  -e JAVA_TOOL_OPTIONS="-Xmx256m -XX:TieredStopAtLevel=1"
run metadata-2 "$METADATA_IMAGE" "${service_env[@]}" -e SERVER_PORT=28095 -e TRIBUTARY_METADATA_HOST=127.0.0.1 \
  -e JAVA_TOOL_OPTIONS="-Xmx256m -XX:TieredStopAtLevel=1"
for id in 1 2 3; do
  run "broker-$id" "$BROKER_IMAGE" "${service_env[@]}" -e SERVER_PORT="2808$id" -e TRIBUTARY_BROKER_ID="$id" \
    -e TRIBUTARY_BROKER_HOST=127.0.0.1 -e TRIBUTARY_BROKER_KAFKA_PORT="2909$((id + 1))" \
    -e TRIBUTARY_BROKER_REPLICA_LAG_TIME_MAX=10s -e JAVA_TOOL_OPTIONS=-Xmx384m
done
group_env=("${service_env[@]}" -e SPRING_PROFILES_ACTIVE=postgres -e SPRING_DATASOURCE_URL="$PG_URL"
           -e SPRING_DATASOURCE_USERNAME="$PG_USER" -e SPRING_DATASOURCE_PASSWORD="$PG_PASSWORD"
           -e TRIBUTARY_GROUP_HOST=127.0.0.1 -e TRIBUTARY_GROUP_INITIAL_REBALANCE_DELAY=0s
           -e JAVA_TOOL_OPTIONS="-Xmx256m -XX:TieredStopAtLevel=1")
run group-coordinator-1 "$GROUP_IMAGE" "${group_env[@]}" -e SERVER_PORT=28091 -e TRIBUTARY_GROUP_KAFKA_PORT=29192
run group-coordinator-2 "$GROUP_IMAGE" "${group_env[@]}" -e SERVER_PORT=28096 -e TRIBUTARY_GROUP_KAFKA_PORT=29193

all_ready() { local p; for p in 28090 28095 28081 28082 28083 28091 28096; do
  http_ok "http://127.0.0.1:$p/actuator/health/readiness" || return 1; done; }
wait_for 300 "every service ready" all_ready
for s in metadata-1:28090 metadata-2:28095 broker-1:28081 broker-2:28082 broker-3:28083 \
         group-coordinator-1:28091 group-coordinator-2:28096; do
  probe "${s%%:*}" "http://127.0.0.1:${s##*:}/actuator/health/liveness" >/dev/null || fail "${s%%:*} liveness"
done
say "all 10 containers UP"

# 1. the seed demo
say "1. seed demo through the tributary image"
cli topics create --topic "$TOPIC" --partitions 3 --replication-factor 3 --config min.insync.replicas=2 \
  || fail "topics create"
cli topics describe --topic "$TOPIC" || fail "topics describe"
printf 'alice:hello\nbob:world\nalice:again\n' |
  cli produce --topic "$TOPIC" --acks all --property parse.key=true --property key.separator=: || fail "produce"
consumed="$(cli consume --topic "$TOPIC" --group "$GROUP" --from-beginning --print-key --max-messages 3 \
  --idle-timeout 20s)" || fail "consume"
printf '%s\n' "$consumed"
[[ "$(grep -c . <<< "$consumed")" == 3 ]] || fail "consumed $(grep -c . <<< "$consumed") records, not 3"
described="$(cli groups describe --group "$GROUP")" || fail "groups describe"
printf '%s\n' "$described"
[[ "$(awk -v g="$GROUP" '$1 == g { sum += $4 } END { print sum + 0 }' <<< "$described")" == 3 ]] \
  || fail "the group's committed offsets do not add up to 3"
passed=$((passed + 1))

# 2. the ZooKeeper HA test
say "2. ZooKeeper HA: kill the leader, read the znode back from the survivors"
leader=""
for id in 1 2 3; do
  [[ "$(four_letter "${ZK_PORTS[id-1]}" srvr)" == *"Mode: leader"* ]] && leader="$id"
done
[[ -n "$leader" ]] || fail "no ZooKeeper server says it leads"
created="$(zkcli "zk-$leader" "${ZK_PORTS[leader-1]}" create /smoke-ha written-before-failover)" || true
[[ "$created" == *"Created /smoke-ha"* ]] || fail "create /smoke-ha: $created"
say "zk-$leader leads; killing it"
"${PODMAN[@]}" kill "$PREFIX-zk-$leader" >/dev/null
for id in 1 2 3; do
  (( id == leader )) && continue
  read_back() { local value; value="$(zkcli "zk-$id" "${ZK_PORTS[id-1]}" get /smoke-ha)" || return 1; \
    grep -qx written-before-failover <<< "$value"; }
  wait_for 60 "/smoke-ha read back from zk-$id" read_back
  say "zk-$id: /smoke-ha = written-before-failover"
done
printf 'carol:during-failover\ndave:still-here\n' |
  cli produce --topic "$TOPIC" --acks all --property parse.key=true --property key.separator=: \
  || fail "produce without the ZooKeeper leader"
more="$(cli consume --topic "$TOPIC" --group "$GROUP" --print-key --max-messages 2 --idle-timeout 20s)" \
  || fail "consume without the ZooKeeper leader"
printf '%s\n' "$more"
[[ "$(grep -c . <<< "$more")" == 2 ]] || fail "consumed $(grep -c . <<< "$more") new records after the failover, not 2"
"${PODMAN[@]}" start "$PREFIX-zk-$leader" >/dev/null
wait_for 90 "zk-$leader rejoining" zk_serving
passed=$((passed + 1))

# 3. the ISR shrinks and grows back
say "3. kill broker-3: the ISR shrinks, then grows back"
under_replicated() { cli topics describe --topic "$TOPIC" --under-replicated-partitions 2>/dev/null |
  awk -v t="$TOPIC" '$1 == t && $2 ~ /^[0-9]+$/' ; }
"${PODMAN[@]}" kill "$PREFIX-broker-3" >/dev/null
# every partition has a replica on broker 3: all three must be under-replicated, none with 3 in its ISR
shrunk() { local rows; rows="$(under_replicated)"; [[ "$(grep -c . <<< "$rows")" == 3 ]] &&
  [[ "$(awk '{ print $5 }' <<< "$rows")" != *3* ]]; }
wait_for 90 "the ISR shrinking without broker 3" shrunk
under_replicated
printf 'erin:one-broker-down\n' | cli produce --topic "$TOPIC" --acks all --property parse.key=true \
  --property key.separator=: || fail "produce with acks=all and one broker down"
"${PODMAN[@]}" start "$PREFIX-broker-3" >/dev/null
grown() { http_ok http://127.0.0.1:28083/actuator/health/readiness && [[ -z "$(under_replicated)" ]]; }
wait_for 180 "the ISR growing back to 3" grown
cli topics describe --topic "$TOPIC"
passed=$((passed + 1))

say "all $passed checks passed"
