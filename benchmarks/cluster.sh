# Scenario q1 of run.sh (sourced, not run): a three-node RabbitMQ cluster and a three-node Warren
# cluster on loopback, started once before q1's first run and stopped with everything else on
# exit. Expects run.sh's helpers (rabbitmq_node_env, start_epmd) and common.sh's.

RABBITMQ_CLUSTER_PORTS=() RABBITMQ_CLUSTER_PIDS=() WARREN_CLUSTER_PORTS=() WARREN_CLUSTER_PIDS=()
CLUSTER_SIZE=3

# One node of the RabbitMQ cluster: its own directory, HOME, name, AMQP and distribution ports;
# every node gets the same Erlang cookie, so the nodes (and rabbitmqctl) may talk to each other.
start_rabbitmq_cluster_node() {
  local i="$1" cookie="$2" dir="$TMP_DIR/rabbitmq-c$1" node port dist wrapper pid n
  mkdir -p "$dir/home"
  printf '%s' "$cookie" >"$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"
  : >"$dir/rabbitmq-env.conf"
  echo '[].' >"$dir/enabled_plugins"
  node="warren-bench-$$-c$i@localhost"
  port="$(free_port)"
  dist="$(free_port)"
  rabbitmq_node_env "$dir" "$node" "$port" "$dist" "$RABBITMQ_BIN/rabbitmq-server" \
    >"$RESULTS/rabbitmq-c$i.log" 2>&1 &
  wrapper=$!
  remember "$wrapper"
  for ((n = 0; n < 600; n++)); do
    [[ -s "$dir/beam.pid" ]] && break
    kill -0 "$wrapper" 2>/dev/null || break
    sleep 0.1
  done
  pid="$(cat "$dir/beam.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && remember "$pid"
  if [[ -z "$pid" ]] || ! wait_for_port "$port" 120 "$pid"; then
    log "RabbitMQ cluster node $i did not start, see $RESULTS/rabbitmq-c$i.log"
    return 1
  fi
  if ((i > 1)); then
    local ctl=(rabbitmq_node_env "$dir" "$node" "$port" "$dist" "$RABBITMQ_BIN/rabbitmqctl" -n "$node")
    "${ctl[@]}" stop_app >>"$RESULTS/rabbitmq-cluster.log" 2>&1 &&
      "${ctl[@]}" join_cluster "warren-bench-$$-c1@localhost" >>"$RESULTS/rabbitmq-cluster.log" 2>&1 &&
      "${ctl[@]}" start_app >>"$RESULTS/rabbitmq-cluster.log" 2>&1 ||
      { log "RabbitMQ node $i did not join the cluster, see $RESULTS/rabbitmq-cluster.log"; return 1; }
    wait_for_port "$port" 120 "$pid" || return 1
  fi
  RABBITMQ_CLUSTER_PORTS+=("$port")
  RABBITMQ_CLUSTER_PIDS+=("$pid")
}

start_rabbitmq_cluster() {
  local cookie i
  start_epmd
  cookie="WARRENBENCH$$$RANDOM$RANDOM"
  for ((i = 1; i <= CLUSTER_SIZE; i++)); do
    start_rabbitmq_cluster_node "$i" "$cookie" || return 1
  done
  log "RabbitMQ cluster of $CLUSTER_SIZE nodes on 127.0.0.1 ports ${RABBITMQ_CLUSTER_PORTS[*]}"
}

# Warren's nodes find each other through the same --cluster-peers list and form the cluster once
# a majority is up; each listens for AMQP only once it has joined.
start_warren_cluster() {
  local i peers="" raft=() pid
  for ((i = 1; i <= CLUSTER_SIZE; i++)); do
    raft+=("$(free_port)")
    WARREN_CLUSTER_PORTS+=("$(free_port)")
    peers+="n$i=127.0.0.1:${raft[-1]},"
  done
  for ((i = 1; i <= CLUSTER_SIZE; i++)); do
    mkdir -p "$TMP_DIR/warren-c$i"
    # shellcheck disable=SC2086 # WARREN_JAVA_OPTS is a list of JVM options
    java $WARREN_JAVA_OPTS -jar "$WARREN_JAR" --port "${WARREN_CLUSTER_PORTS[$((i - 1))]}" \
      --bind 127.0.0.1 --data-dir "$TMP_DIR/warren-c$i" --node-id "n$i" \
      --cluster-peers "${peers%,}" --cluster-name warren-bench \
      --management-port 0 --prometheus-port 0 >>"$RESULTS/warren-c$i.log" 2>&1 &
    pid=$!
    remember "$pid"
    WARREN_CLUSTER_PIDS+=("$pid")
  done
  for ((i = 1; i <= CLUSTER_SIZE; i++)); do
    if ! wait_for_port "${WARREN_CLUSTER_PORTS[$((i - 1))]}" 300 "${WARREN_CLUSTER_PIDS[$((i - 1))]}"; then
      log "Warren cluster node n$i did not start, see $RESULTS/warren-c$i.log"
      return 1
    fi
  done
  log "Warren cluster of $CLUSTER_SIZE nodes on 127.0.0.1 ports ${WARREN_CLUSTER_PORTS[*]} ($WARREN_JAVA_OPTS each)"
}

# PerfTest's --uris: every node of the cluster, PerfTest spreads its connections over them.
cluster_uris() {
  local broker="$1" port uris=""
  if [[ "$broker" == warren ]]; then local -n ports=WARREN_CLUSTER_PORTS; else local -n ports=RABBITMQ_CLUSTER_PORTS; fi
  for port in "${ports[@]}"; do uris+="amqp://guest:guest@127.0.0.1:$port,"; done
  echo "${uris%,}"
}

cluster_running() {
  local broker="$1" pid
  if [[ "$broker" == warren ]]; then local -n pids=WARREN_CLUSTER_PIDS; else local -n pids=RABBITMQ_CLUSTER_PIDS; fi
  ((${#pids[@]} == CLUSTER_SIZE)) || return 1
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || return 1; done
}
