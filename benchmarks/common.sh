# Shared by the benchmark scripts (sourced, not run): logging, free loopback ports, PerfTest's
# class path, and the bookkeeping that stops every process a script started, and only those.
# Expects BENCH_DIR and TMP_DIR to be set by the script that sources it.

PERFTEST_VERSION=2.22.1
PERFTEST_LIB="$BENCH_DIR/target/perftest-lib"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Every long-lived process is recorded as "pid:start-time" and stopped by PID on exit, newest
# first. The start time guards against signalling an unrelated process that reused a PID.
STARTED=()

start_time() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }

remember() { STARTED+=("$1:$(start_time "$1")"); }

stop_pid() {
  local pid="${1%%:*}" started="${1#*:}" children child i
  [[ -n "$started" && "$(start_time "$pid")" == "$started" ]] || return 0
  # Children too: a wrapper script stopped before its beam.smp was known must not leave it behind.
  children="$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for child in $children; do
    stop_pid "$child:$(start_time "$child")"
  done
}

stop_started() {
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_pid "${STARTED[$i]}"
  done
  rm -rf "$TMP_DIR"
}

fetch_perftest() {
  if [[ ! -f "$PERFTEST_LIB/perf-test-$PERFTEST_VERSION.jar" ]]; then
    log "fetching PerfTest $PERFTEST_VERSION and its classpath with Maven"
    mvn -q -B -f "$BENCH_DIR/perftest/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$PERFTEST_LIB"
  fi
}

free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 30000))
    if ! ss -Htan | awk '{print $4}' | grep -q ":$port\$"; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

wait_for_port() {
  local port="$1" seconds="$2" pid="$3" i
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    ss -Htln "( sport = :$port )" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}
