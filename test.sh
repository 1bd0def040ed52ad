#!/usr/bin/env bash
# Runs every test of Warren. On a fresh Debian machine that has JDK 17 and Maven it first installs
# what the interop tests drive Warren with (Debian's python3-pika and amqp-tools, Node.js with npm,
# and amqplib; Chromium and chromedriver for the UI's browser tests) and the reference the
# differential tests compare it with (Debian's rabbitmq-server), each only when it is missing, so
# running it again costs nothing. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# The interop tests call /usr/bin/python3 on purpose: the distribution's pika lives there.
if ! /usr/bin/python3 -c 'import pika' >/dev/null 2>&1; then
  echo "test.sh: installing python3-pika" >&2
  apt_install python3-pika
fi

# The Prometheus tests parse Warren's /metrics with the official Python client's parser.
if ! /usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1; then
  echo "test.sh: installing python3-prometheus-client" >&2
  apt_install python3-prometheus-client
fi

# RabbitMQ's C client, through its command-line tools (amqp-publish, amqp-consume, ...).
if ! command -v amqp-publish >/dev/null 2>&1; then
  echo "test.sh: installing amqp-tools" >&2
  apt_install amqp-tools
fi

# The differential tests compare Warren with a RabbitMQ node of Debian's package (the system
# service is never started or used: each test starts its own isolated node).
if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "test.sh: installing rabbitmq-server" >&2
  apt_install rabbitmq-server
fi

# The management UI's browser tests drive Debian's headless Chromium through its chromedriver.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "test.sh: installing chromium and chromium-driver" >&2
  apt_install chromium chromium-driver
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing nodejs and npm" >&2
  apt_install nodejs npm
fi

# The cluster's partition tests put nodes in network namespaces and cut them off with iptables.
if ! command -v ip >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1; then
  echo "test.sh: installing iproute2 and iptables" >&2
  apt_install iproute2 iptables
fi

node_dir=broker-engine/src/test/node
if [ ! -d "$node_dir/node_modules" ]; then
  echo "test.sh: installing amqplib into $node_dir" >&2
  # No lock file: it would record the registry's address, and the exact version is pinned anyway.
  (cd "$node_dir" && npm install --no-package-lock --no-audit --no-fund)
fi

mvn -B verify "$@"
