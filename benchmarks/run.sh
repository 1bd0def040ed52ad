#!/usr/bin/env bash
# Warren vs RabbitMQ, side by side on this machine: starts an isolated RabbitMQ node and Warren's
# standalone broker on loopback ports of their own (for q1, a three-node cluster of each), runs
# PerfTest scenarios s1..s7 and q1 against both alternately (RabbitMQ, Warren, RabbitMQ, Warren,
# ...) and prints the comparison table.
# See benchmarks/README.md for the scenarios and how to read the table.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: benchmarks/run.sh [options]
  --rounds N         runs per broker and scenario, alternating (default 5)
  --duration S       seconds per PerfTest run, PerfTest -z (default 20)
  --warmup S         per-second samples discarded at the start of each run (default 5)
  --quick            development run: --rounds 2 --duration 10 --warmup 4
  --cluster-warmup S seconds of the unmeasured q1 run that warms each cluster up (default 90)
  --scenarios LIST   comma-separated subset of s1,s2,s3,s4,s5,s6,s7,q1 (default all)
  --brokers LIST     comma-separated subset of rabbitmq,warren (default both)
  --warren-jar PATH  Warren's standalone jar (default broker-engine/target/warren-broker.jar,
                     built with Maven when missing)
  -h, --help         this text
Environment: WARREN_JAVA_OPTS (default "-Xmx1g"), PERFTEST_JAVA_OPTS (default "-Xmx1g"),
  QUIET_IDLE and QUIET_WAIT (before each run, wait up to QUIET_WAIT seconds, default 30, until the
  machine is QUIET_IDLE % idle, default 85; each run's figures are in quiet.log of the results).
EOF
}

ROUNDS=5
DURATION=20
WARMUP=5
CLUSTER_WARMUP=90
SCENARIOS="s1,s2,s3,s4,s5,s6,s7,q1"
BROKERS="rabbitmq,warren"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
WARREN_JAR="$REPO_DIR/broker-engine/target/warren-broker.jar"
WARREN_JAVA_OPTS="${WARREN_JAVA_OPTS:--Xmx1g}"
PERFTEST_JAVA_OPTS="${PERFTEST_JAVA_OPTS:--Xmx1g}"
S6_CONNECTIONS=1000
QUIET_IDLE="${QUIET_IDLE:-85}"
QUIET_WAIT="${QUIET_WAIT:-30}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --cluster-warmup) CLUSTER_WARMUP="$2"; shift 2 ;;
    --quick) ROUNDS=2; DURATION=10; WARMUP=4; shift ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    --warren-jar) WARREN_JAR="$(realpath "$2")"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if (( DURATION < WARMUP + 4 )); then
  echo "--duration must leave at least 4 s after the --warmup" >&2
  exit 2
fi

WORK_DIR="$BENCH_DIR/target"
RESULTS="$WORK_DIR/results/$(date +%Y%m%d-%H%M%S)"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/warren-bench.XXXXXX")"
RABBITMQ_BIN=/usr/lib/rabbitmq/bin
CLK_TCK="$(getconf CLK_TCK)"
# shellcheck source=common.sh
source "$BENCH_DIR/common.sh"
# shellcheck source=cluster.sh
source "$BENCH_DIR/cluster.sh"
mkdir -p "$RESULTS"

cleanup() {
  [[ -n "${PERFTEST_PID:-}" ]] && stop_pid "$PERFTEST_PID:$(start_time "$PERFTEST_PID")"
  # newest first, so the RabbitMQ node goes down before the epmd it registered with
  stop_started
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- installation (idempotent)
install_prerequisites() {
  local missing=()
  [[ -x "$RABBITMQ_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v ss >/dev/null || missing+=(iproute2)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get (the system RabbitMQ service is never used)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  fetch_perftest
  if [[ ",$BROKERS," == *",warren,"* && ! -f "$WARREN_JAR" ]]; then
    log "building Warren's standalone jar"
    (cd "$REPO_DIR" && mvn -q -B -Dmaven.test.skip=true package -pl broker-engine -am)
  fi
}

# ---------------------------------------------------------------- helpers
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# utime + stime in clock ticks: fields 14 and 15 of /proc/<pid>/stat, counted after the
# parenthesised command name because that name may itself contain spaces.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

established_connections() { ss -Htn state established "( sport = :$1 )" | wc -l; }

# ---------------------------------------------------------------- brokers
RABBITMQ_PROCESSES=() RABBITMQ_PORT="" RABBITMQ_PID="" WARREN_PORT="" WARREN_PID="" WARREN_DATA="" PERFTEST_PID=""

# The environment of one RabbitMQ node (and of rabbitmqctl talking to it): everything in DIR.
rabbitmq_node_env() {
  local dir="$1" node="$2" port="$3" dist="$4"
  shift 4
  env HOME="$dir/home" \
    ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODENAME="$node" RABBITMQ_USE_LONGNAME=false \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$dist" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_PID_FILE="$dir/beam.pid" \
    "$@"
}

# A private epmd on its own port keeps this script's nodes invisible to any other node on the
# machine. Started once, before the first node.
start_epmd() {
  [[ -n "${EPMD_PORT:-}" ]] && return 0
  EPMD_PORT="$(free_port)"
  epmd -port "$EPMD_PORT" -address 127.0.0.1 >"$TMP_DIR/epmd.log" 2>&1 &
  remember $!
}

start_rabbitmq() {
  mkdir -p "$TMP_DIR/rabbitmq/home"
  : >"$TMP_DIR/rabbitmq/rabbitmq-env.conf"
  echo '[].' >"$TMP_DIR/rabbitmq/enabled_plugins"
  start_epmd
  RABBITMQ_PORT="$(free_port)"
  RABBITMQ_DIST_PORT="$(free_port)"
  RABBITMQ_NODE="warren-bench-$$@localhost"
  RABBITMQ_PROCESSES=()
  rabbitmq_node_env "$TMP_DIR/rabbitmq" "$RABBITMQ_NODE" "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT" \
    "$RABBITMQ_BIN/rabbitmq-server" >"$RESULTS/rabbitmq.log" 2>&1 &
  local wrapper=$! i
  remember "$wrapper"
  RABBITMQ_PROCESSES+=("${STARTED[-1]}")
  # The wrapper script forks beam.smp, which writes its own PID early in the boot; the AMQP
  # listener opens last, so a listening port means the node is ready.
  for ((i = 0; i < 600; i++)); do
    [[ -s "$TMP_DIR/rabbitmq/beam.pid" ]] && break
    kill -0 "$wrapper" 2>/dev/null || break
    sleep 0.1
  done
  RABBITMQ_PID="$(cat "$TMP_DIR/rabbitmq/beam.pid" 2>/dev/null || true)"
  if [[ -n "$RABBITMQ_PID" ]]; then
    remember "$RABBITMQ_PID"
    RABBITMQ_PROCESSES+=("${STARTED[-1]}")
  fi
  if [[ -z "$RABBITMQ_PID" ]] || ! wait_for_port "$RABBITMQ_PORT" 120 "$RABBITMQ_PID"; then
    log "RabbitMQ did not start, see $RESULTS/rabbitmq.log"
    RABBITMQ_PID=""
    return 1
  fi
  log "RabbitMQ $(rabbitmq_version) node $RABBITMQ_NODE on 127.0.0.1:$RABBITMQ_PORT (beam.smp pid $RABBITMQ_PID)"
}

rabbitmq_version() { dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?'; }

start_warren() {
  WARREN_PORT="$(free_port)"
  WARREN_DATA="$TMP_DIR/warren-data"
  mkdir -p "$WARREN_DATA"
  # shellcheck disable=SC2086 # WARREN_JAVA_OPTS is a list of JVM options
  java $WARREN_JAVA_OPTS -jar "$WARREN_JAR" --port "$WARREN_PORT" --bind 127.0.0.1 \
    --data-dir "$WARREN_DATA" --management-port 0 --prometheus-port 0 >>"$RESULTS/warren.log" 2>&1 &
  WARREN_PID=$!
  remember "$WARREN_PID"
  if ! wait_for_port "$WARREN_PORT" 60 "$WARREN_PID"; then
    log "Warren did not start, see $RESULTS/warren.log; its results will be missing"
    WARREN_PID=""
    return 1
  fi
  log "Warren on 127.0.0.1:$WARREN_PORT (pid $WARREN_PID, $WARREN_JAVA_OPTS)"
}

# s6 compares memory against an idle baseline, so it starts from fresh broker processes rather
# than from ones whose allocators still hold memory from the scenarios before it.
restart_broker() {
  local broker="$1" i
  log "restarting $broker for a fresh memory baseline"
  if [[ "$broker" == rabbitmq ]]; then
    for ((i = ${#RABBITMQ_PROCESSES[@]} - 1; i >= 0; i--)); do
      stop_pid "${RABBITMQ_PROCESSES[$i]}"
    done
    start_rabbitmq
  else
    [[ -n "$WARREN_PID" ]] && stop_pid "$WARREN_PID:$(start_time "$WARREN_PID")"
    start_warren
  fi
}

broker_port() { if [[ "$1" == rabbitmq ]]; then echo "$RABBITMQ_PORT"; else echo "$WARREN_PORT"; fi; }
broker_pid() { if [[ "$1" == rabbitmq ]]; then echo "$RABBITMQ_PID"; else echo "$WARREN_PID"; fi; }

# A broker that died in an earlier run gets one fresh start per scenario, so one crash does not
# void every later scenario.
ensure_running() {
  local broker="$1" pid
  pid="$(broker_pid "$broker")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && return 0
  log "$broker is not running; starting it again"
  if [[ "$broker" == rabbitmq ]]; then start_rabbitmq; else start_warren; fi
}

# ---------------------------------------------------------------- scenarios
# PerfTest flags per scenario; the README lists them too. Queue names carry the run tag so no
# run sees another run's leftovers.
scenario_flags() {
  local scenario="$1" tag="$2"
  case "$scenario" in
    s1) echo "-x 1 -y 1 -s 12 -a -u bench-$tag" ;;
    s2) echo "-x 1 -y 1 -s 1000 -f persistent -c 100 -q 100 -A 50 -u bench-$tag" ;;
    s3) echo "-x 1 -y 10 -s 12 -a -t fanout -e bench.fanout" ;;
    s4) echo "-x 10 -y 10 -s 12 -a -qp bench-$tag-%d -qpf 1 -qpt 10" ;;
    s5) echo "-x 1 -y 1 -s 12 -a -r 1000 -u bench-$tag" ;;
    s6) echo "-x 1 -y $S6_CONNECTIONS -s 12 -r 10 -q 1 -L 10000 -niot 4 -ctp 4 -u bench-$tag" ;;
    s7) echo "-x 1 -y 1 -s 12 -a -r 10000 -u bench-$tag" ;;
    q1) echo "-x 1 -y 1 -s 1000 -f persistent --quorum-queue -c 100 -q 100 -A 50 -u bench-$tag" ;;
    *) echo "unknown scenario $scenario" >&2; return 1 ;;
  esac
}

# s6 needs time to open all connections before its memory is read.
scenario_duration() { if [[ "$1" == s6 ]]; then echo $((DURATION > 20 ? DURATION : 20)); else echo "$DURATION"; fi; }

start_perftest() {
  local broker="$1" scenario="$2" tag="$3" duration="$4" target
  if [[ "$scenario" == q1 ]]; then
    target="-H $(cluster_uris "$broker")"
  else
    target="-h amqp://guest:guest@127.0.0.1:$(broker_port "$broker")"
  fi
  # shellcheck disable=SC2046,SC2086 # flags, target and JVM options are word lists
  timeout $((duration + 60)) java $PERFTEST_JAVA_OPTS -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest \
    $target -z "$duration" --id "$tag" \
    -o "$RESULTS/$tag.csv" $(scenario_flags "$scenario" "$tag") >"$RESULTS/$tag.log" 2>&1 &
  PERFTEST_PID=$!
}

finish_perftest() {
  local tag="$1"
  if ! wait "$PERFTEST_PID"; then
    log "PerfTest run $tag failed, see $RESULTS/$tag.log"
  fi
  PERFTEST_PID=""
}

# s6: resident memory of the broker process before the run and with all connections open.
measure_memory() {
  local broker="$1" round="$2" tag="$3" pid port before after connections i
  pid="$(broker_pid "$broker")"
  port="$(broker_port "$broker")"
  before="$(rss_kb "$pid")"
  start_perftest "$broker" s6 "$tag" "$(scenario_duration s6)"
  connections=0
  for ((i = 0; i < 300; i++)); do
    connections="$(established_connections "$port")"
    ((connections > S6_CONNECTIONS)) && break
    kill -0 "$PERFTEST_PID" 2>/dev/null || break
    sleep 0.1
  done
  sleep 3 # let the consumers settle into their slow steady state before reading memory
  connections="$(established_connections "$port")"
  after="$(rss_kb "$pid")"
  printf 's6\t%s\t%s\trss_kb\t%s\t%s\t%s\n' "$broker" "$round" "$before" "$after" "$connections" \
    >>"$RESULTS/measurements.tsv"
  finish_perftest "$tag"
}

# s7: CPU ticks the broker process spends inside the steady-state window of the run.
measure_cpu() {
  local broker="$1" round="$2" tag="$3" pid ticks_before ticks_after started ended window
  pid="$(broker_pid "$broker")"
  start_perftest "$broker" s7 "$tag" "$DURATION"
  sleep $((WARMUP + 1))
  window=$((DURATION - WARMUP - 3))
  ticks_before="$(cpu_ticks "$pid")"
  started="$(date +%s.%N)"
  sleep "$window"
  ticks_after="$(cpu_ticks "$pid")"
  ended="$(date +%s.%N)"
  printf 's7\t%s\t%s\tcpu\t%s\t%s\t%s\n' "$broker" "$round" "$((ticks_after - ticks_before))" \
    "$CLK_TCK" "$(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}')" >>"$RESULTS/measurements.tsv"
  finish_perftest "$tag"
}

# One unmeasured run per broker before the first scenario: Warren's JIT would otherwise compile
# its hot paths during the first measured runs, RabbitMQ gets the same treatment for symmetry.
warm_up() {
  local broker="$1" port
  port="$(broker_port "$broker")"
  [[ -n "$(broker_pid "$broker")" ]] || return 0
  log "warm-up run against $broker (not measured)"
  # shellcheck disable=SC2086 # JVM options are a word list
  timeout 70 java $PERFTEST_JAVA_OPTS -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest \
    -h "amqp://guest:guest@127.0.0.1:$port" -z 10 --id "warmup-$broker" \
    -x 1 -y 1 -s 12 -a -u "bench-warmup-$broker" >"$RESULTS/warmup-$broker.log" 2>&1 \
    || log "warm-up run against $broker failed, see $RESULTS/warmup-$broker.log"
}

# The same for a cluster, with q1's own flags: the JIT's and the queue leaders' first minutes.
warm_up_cluster() {
  local broker="$1"
  cluster_running "$broker" || return 0
  log "warm-up run against the $broker cluster (not measured)"
  # shellcheck disable=SC2046,SC2086 # flags and JVM options are word lists
  timeout $((CLUSTER_WARMUP + 60)) java $PERFTEST_JAVA_OPTS -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest \
    -H "$(cluster_uris "$broker")" -z "$CLUSTER_WARMUP" --id "warmup-q1-$broker" \
    $(scenario_flags q1 "warmup-$broker") >"$RESULTS/warmup-q1-$broker.log" 2>&1 \
    || log "warm-up run against the $broker cluster failed, see $RESULTS/warmup-q1-$broker.log"
}

# Percentage of the machine's CPU time that was idle over the next second (from /proc/stat).
idle_percent() {
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 1
  read -r -a b < <(head -1 /proc/stat)
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(((b[4] - a[4] + b[5] - a[5]) * 100 / (total > 0 ? total : 1)))
}

# Waits (up to QUIET_WAIT seconds) until the machine is mostly idle before a run: both brokers stay
# up while the other one is measured, and one still busy with the last run's aftermath (a quorum
# queue's log written out to segments, snapshots, a deleted queue's clean-up) takes CPU from the
# next run of the other. The idle share and the wait are logged; the machine's other tenants may
# keep it from ever being reached.
wait_for_quiet() {
  local tag="$1" waited=0 idle
  idle=$(idle_percent)
  while ((idle < QUIET_IDLE && waited < QUIET_WAIT)); do
    idle=$(idle_percent)
    waited=$((waited + 1))
  done
  log "before $tag: machine ${idle}% idle after waiting ${waited} s"
  echo "$tag idle=${idle}% waited=${waited}s" >>"$RESULTS/quiet.log"
}

run_one() {
  local scenario="$1" broker="$2" round="$3" tag="$1-$2-r$3"
  if [[ "$scenario" == q1 ]] && ! cluster_running "$broker"; then
    log "skipping $tag: a node of the $broker cluster is down"
    return 0
  fi
  if [[ "$scenario" != q1 ]] && ! ensure_running "$broker"; then
    log "skipping $tag: $broker is down"
    return 0
  fi
  if [[ "$scenario" == s6 ]] && ! restart_broker "$broker"; then
    log "skipping $tag: $broker did not restart"
    return 0
  fi
  wait_for_quiet "$tag"
  log "run $tag"
  case "$scenario" in
    s6) measure_memory "$broker" "$round" "$tag" ;;
    s7) measure_cpu "$broker" "$round" "$tag" ;;
    *)
      start_perftest "$broker" "$scenario" "$tag" "$DURATION"
      finish_perftest "$tag"
      ;;
  esac
  sleep 2 # let the broker finish deleting the run's queues and connections before the next run
}

# ---------------------------------------------------------------- main
install_prerequisites
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

IFS=, read -r -a requested <<<"$SCENARIOS"
# s6 restarts both brokers, so it runs last: the scenarios after it would otherwise meet a cold JVM.
scenario_list=()
for scenario in "${requested[@]}"; do [[ "$scenario" == s6 ]] || scenario_list+=("$scenario"); done
for scenario in "${requested[@]}"; do [[ "$scenario" == s6 ]] && scenario_list+=("$scenario"); done
IFS=, read -r -a broker_list <<<"$BROKERS"
single_node=false
for scenario in "${scenario_list[@]}"; do [[ "$scenario" == q1 ]] || single_node=true; done
for broker in "${broker_list[@]}"; do
  case "$broker" in
    rabbitmq) if $single_node; then start_rabbitmq; fi ;;
    warren) if $single_node; then start_warren || true; fi ;;
    *) echo "unknown broker $broker" >&2; exit 2 ;;
  esac
done

if $single_node; then
  for broker in "${broker_list[@]}"; do
    warm_up "$broker"
  done
fi

cat >"$RESULTS/run.properties" <<EOF
rounds=$ROUNDS
duration=$DURATION
warmup=$WARMUP
cluster_warmup=$CLUSTER_WARMUP
scenarios=$SCENARIOS
brokers=$BROKERS
rabbitmq_version=$(rabbitmq_version)
perftest_version=$PERFTEST_VERSION
warren_java_opts=$WARREN_JAVA_OPTS
warren_jar_built=$(date -u -r "$WARREN_JAR" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo '?')
git_head=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')
cpus=$(nproc)
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
memory_mb=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
kernel=$(uname -r)
java=$(java -version 2>&1 | head -1)
EOF

for scenario in "${scenario_list[@]}"; do
  if [[ "$scenario" == q1 ]]; then
    for broker in "${broker_list[@]}"; do
      if [[ "$broker" == rabbitmq ]]; then start_rabbitmq_cluster || true; else start_warren_cluster || true; fi
      warm_up_cluster "$broker"
    done
  fi
  for ((round = 1; round <= ROUNDS; round++)); do
    for broker in "${broker_list[@]}"; do
      run_one "$scenario" "$broker" "$round"
    done
  done
  if [[ "$scenario" == s2 && -n "$WARREN_DATA" ]] && [[ -z "$(ls -A "$WARREN_DATA")" ]]; then
    # Nothing reached Warren's data directory: its s2 number is an in-memory one.
    echo "warren_s2_not_durable=true" >>"$RESULTS/run.properties"
  fi
done

java "$BENCH_DIR/src/Summary.java" "$RESULTS" | tee "$RESULTS/summary.md"
log "raw results in $RESULTS"
