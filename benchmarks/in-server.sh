#!/usr/bin/env bash
# The in-server benchmark: Payara Micro with the Warren adapter, the sample and the benchmark
# application (benchmarks/in-server), then the same persistent messages through a transacted MDB,
# a non-transacted MDB and a plain external consumer on the adapter's AMQP port, in turn, round
# after round. Prints the consumption rates and their ratios. See benchmarks/README.md.
set -euo pipefail

usage() {
  cat <<'EOF_USAGE'
Usage: benchmarks/in-server.sh [options]
  --rounds N       rounds; each runs the three consumers in turn (default 5)
  --messages N     persistent messages per run (default 100000)
  --size B         message body size in bytes (default 100)
  -h, --help       this text
Environment: PAYARA_JAVA_OPTS (default "-Xmx1g").
EOF_USAGE
}

ROUNDS=5
MESSAGES=100000
SIZE=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/warren-in-server.XXXXXX")"
RESULTS="$BENCH_DIR/target/results/in-server-$(date +%Y%m%d-%H%M%S)"
BENCH_WAR="$BENCH_DIR/in-server/target/warren-bench.war"
# shellcheck source=common.sh
source "$BENCH_DIR/common.sh"
trap stop_started EXIT
trap 'exit 130' INT TERM
mkdir -p "$RESULTS"

fetch_perftest # the driver uses the Java client from PerfTest's class path
log "building the adapter, the sample and the benchmark application"
(cd "$REPO_DIR" && mvn -q -B -Dmaven.test.skip=true package \
  -pl rar/package,ejb-sample,benchmarks/in-server -am)

AMQP_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
log "starting Payara Micro (AMQP 127.0.0.1:$AMQP_PORT, HTTP $HTTP_PORT); log in $RESULTS/payara.log"
# no management listener: the default port may be taken on a shared machine
WARREN_PORT="$AMQP_PORT" WARREN_BIND=127.0.0.1 HTTP_PORT="$HTTP_PORT" WARREN_MANAGEMENT_PORT=0 \
  WARREN_DATA_DIR="$TMP_DIR/warren-data" JAVA_OPTS="${PAYARA_JAVA_OPTS:--Xmx1g}" \
  "$REPO_DIR/server-config/start-payara.sh" --deploy "$BENCH_WAR" >"$RESULTS/payara.log" 2>&1 &
PAYARA_PID=$!
remember "$PAYARA_PID"

# the Java client and the SLF4J API only: without a logging backend the client stays quiet
CLIENT_CLASSPATH="$(ls "$PERFTEST_LIB"/amqp-client-*.jar "$PERFTEST_LIB"/slf4j-api-*.jar | paste -sd:)"
java -cp "$CLIENT_CLASSPATH" "$BENCH_DIR/src/InServerBenchmark.java" \
  --amqp-port "$AMQP_PORT" --http-port "$HTTP_PORT" --server-pid "$PAYARA_PID" \
  --rounds "$ROUNDS" --messages "$MESSAGES" --size "$SIZE" | tee "$RESULTS/summary.md"
log "raw results in $RESULTS"
