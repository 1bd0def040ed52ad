#!/usr/bin/env bash
# Starts Payara Micro with the Warren resource adapter and the EJB sample, building them first
# when missing or out of date. Environment: WARREN_PORT (AMQP, default 5672), WARREN_BIND (the
# AMQP listener's address, default 0.0.0.0), WARREN_MANAGEMENT_PORT (the management API,
# default 15672; 0 for none), HTTP_PORT (default 8080), WARREN_DATA_DIR (default
# var/warren-data in the repository: outside target/, so that mvn clean keeps the broker's
# messages), WARREN_PROPERTIES (further adapter properties in asadmin's syntax, name=value pairs
# separated by ':' with a ':' inside a value escaped as '\:', e.g.
# 'mode=remote:addresses=localhost\:5672' for an external RabbitMQ), JAVA_OPTS (default -Xmx512m).
# Arguments go to Payara Micro, e.g. --deploy another.war.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/server-config/target"
AMQP_PORT=${WARREN_PORT:-5672}
MANAGEMENT_PORT=${WARREN_MANAGEMENT_PORT:-15672}
HTTP_PORT=${HTTP_PORT:-8080}
DATA_DIR=${WARREN_DATA_DIR:-$ROOT/var/warren-data}
RAR="$ROOT/rar/package/target/warren-rar.rar"
WAR="$ROOT/ejb-sample/target/ejb-sample.war"
MICRO="$WORK/payara-micro.jar"
PAYARA_VERSION=$(sed -n 's:.*<payara-micro.version>\(.*\)</payara-micro.version>.*:\1:p' "$ROOT/pom.xml")

mkdir -p "$WORK" "$DATA_DIR"
# Built when missing or older than any of their sources, so a pulled change is never run stale.
stale() {
  [[ ! -f "$1" ]] || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/broker-engine/pom.xml" "$ROOT/broker-engine/src/main" \
    "$ROOT/rar" "$ROOT/ejb-sample/pom.xml" "$ROOT/ejb-sample/src" -path '*/target' -prune -o \
    -newer "$1" -type f -print -quit)" ]]
}
if stale "$RAR" || stale "$WAR"; then
  echo "Building the adapter and the sample..."
  (cd "$ROOT" && mvn -q install -Dmaven.test.skip=true -Dspotless.check.skip=true \
    -pl broker-engine,rar/api,rar/adapter,rar/package,ejb-sample -am)
fi
if [[ ! -f "$MICRO" ]]; then
  echo "Fetching Payara Micro $PAYARA_VERSION..."
  mvn -q dependency:copy -Dartifact="fish.payara.extras:payara-micro:$PAYARA_VERSION" \
    -DoutputDirectory="$WORK" -Dmdep.stripVersion=true
fi

# WARREN_PROPERTIES go first in the adapter's property list, escaped for sed's replacement text
EXTRA_PROPERTIES=""
if [[ -n "${WARREN_PROPERTIES:-}" ]]; then
  EXTRA_PROPERTIES="${WARREN_PROPERTIES}:"
  EXTRA_PROPERTIES=${EXTRA_PROPERTIES//\\/\\\\}
  EXTRA_PROPERTIES=${EXTRA_PROPERTIES//&/\\&}
  EXTRA_PROPERTIES=${EXTRA_PROPERTIES//|/\\|}
fi
sed -e "s|\${warren.port}|$AMQP_PORT|" \
    -e "s|\${warren.bindAddress}|${WARREN_BIND:-0.0.0.0}|" \
    -e "s|\${warren.dataDirectory}|$DATA_DIR|" \
    -e "s|\${warren.managementPort}|$MANAGEMENT_PORT|" \
    -e "s|\${warren.managementBindAddress}|${WARREN_BIND:-0.0.0.0}|" \
    -e "s|\${warren.rar}|$RAR|" \
    -e "s|--property |--property $EXTRA_PROPERTIES|" \
    "$ROOT/server-config/payara/post-boot-commands.asadmin" > "$WORK/post-boot-commands.asadmin"

cat <<INFO
Warren in Payara Micro
  AMQP:   amqp://guest:guest@localhost:$AMQP_PORT  (any AMQP 0-9-1 client, e.g. pika)
  HTTP:   http://localhost:$HTTP_PORT/ejb-sample/api/received/worker
  management API: http://localhost:$MANAGEMENT_PORT/api/overview  (guest/guest; 0 = off)
  data:   $DATA_DIR
INFO

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:--Xmx512m} -jar "$MICRO" --nohazelcast --disablephonehome \
  --port "$HTTP_PORT" --postbootcommandfile "$WORK/post-boot-commands.asadmin" --deploy "$WAR" "$@"
