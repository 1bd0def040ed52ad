#!/usr/bin/env bash
# Runs the standalone Warren broker (AMQP on port 5672 unless --port says otherwise). Builds the
# broker jar first when it is missing or older than the sources. Arguments go to the broker; the
# working directory stays the caller's, so a relative --data-dir means what the user expects.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
jar="$root/broker-engine/target/warren-broker.jar"

if [ ! -f "$jar" ] \
  || [ -n "$(find "$root/pom.xml" "$root/broker-engine/pom.xml" "$root/broker-engine/src/main" \
    -newer "$jar" -print -quit)" ]; then
  mvn -q -f "$root/pom.xml" -DskipTests package
fi

exec java -jar "$jar" "$@"
