#!/usr/bin/env bash
# Runs Warren. By default: Payara Micro with the Warren resource adapter and the EJB sample deployed
# (AMQP on port 5672, HTTP on 8080; see server-config/start-payara.sh for the settings), building
# what is missing first; arguments go to Payara Micro (e.g. --deploy my-app.war). With
# --standalone: the broker on its own, without an application server; the remaining arguments go
# to the broker (--port, --bind, --data-dir, ...). The working directory stays the caller's, so a
# relative --data-dir means what the user expects.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"

if [ "${1:-}" != "--standalone" ]; then
  exec "$root/server-config/start-payara.sh" "$@"
fi
shift

jar="$root/broker-engine/target/warren-broker.jar"
if [ ! -f "$jar" ] \
  || [ -n "$(find "$root/pom.xml" "$root/broker-engine/pom.xml" "$root/broker-engine/src/main" \
    -newer "$jar" -print -quit)" ]; then
  mvn -q -f "$root/pom.xml" -pl broker-engine -am -DskipTests package
fi

exec java -jar "$jar" "$@"
