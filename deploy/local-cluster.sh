#!/usr/bin/env bash
# Three Layercake nodes on this machine, sharing one PostgreSQL: the smallest real cluster.
#
#   LAYERCAKE_DB_URL=jdbc:postgresql://127.0.0.1:5432/layercake \
#   LAYERCAKE_DB_USER=layercake LAYERCAKE_DB_PASSWORD=... LAYERCAKE_SECRETS_KEY="$(openssl rand -base64 32)" \
#   deploy/local-cluster.sh start
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh stop
#
# Node n (1..3) serves HTTP on 808n, the cluster on 2552n and Pekko Management on 855n, all on
# 127.0.0.1. The nodes find each other through Cluster Bootstrap with the three management ports
# as contact points. Logs and pid files go to $LAYERCAKE_LOCAL_CLUSTER_DIR (./data/local-cluster).
# Other LAYERCAKE_* variables in the environment (admin token, providers) reach every node.
set -euo pipefail

cd "$(dirname "$0")/.."
jar="${LAYERCAKE_JAR:-http/target/layercake.jar}"
dir="${LAYERCAKE_LOCAL_CLUSTER_DIR:-data/local-cluster}"
nodes=(1 2 3)

start() {
  : "${LAYERCAKE_DB_URL:?set LAYERCAKE_DB_URL to a jdbc:postgresql: URL: the nodes share one database}"
  : "${LAYERCAKE_DB_USER:?set LAYERCAKE_DB_USER}"
  : "${LAYERCAKE_SECRETS_KEY:?set LAYERCAKE_SECRETS_KEY (openssl rand -base64 32): the nodes share one key for stored credentials}"
  [[ -f "$jar" ]] || { echo "no $jar: build it with 'mvn -B -q package -DskipTests'" >&2; exit 1; }
  mkdir -p "$dir"
  local contact_points="127.0.0.1:8551,127.0.0.1:8552,127.0.0.1:8553"
  for n in "${nodes[@]}"; do
    if running "$n"; then
      echo "node$n already runs (pid $(cat "$dir/node$n.pid"))"
      continue
    fi
    LAYERCAKE_HTTP_PORT="808$n" \
    LAYERCAKE_CLUSTER_HOST=127.0.0.1 \
    LAYERCAKE_CLUSTER_PORT="2552$n" \
    LAYERCAKE_CLUSTER_MANAGEMENT_PORT="855$n" \
    LAYERCAKE_CLUSTER_DISCOVERY=config \
    LAYERCAKE_CLUSTER_CONTACT_POINTS="$contact_points" \
    LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS=3 \
    LAYERCAKE_DATA_DIR="$dir/node$n" \
      nohup java -Xmx512m -jar "$jar" >"$dir/node$n.log" 2>&1 &
    echo $! >"$dir/node$n.pid"
    echo "node$n started (pid $!): http://127.0.0.1:808$n, management http://127.0.0.1:855$n, log $dir/node$n.log"
  done
  for n in "${nodes[@]}"; do
    await_ready "$n"
  done
  status
}

await_ready() {
  local n=$1
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:855$n/ready" >/dev/null 2>&1; then
      return 0
    fi
    running "$n" || { echo "node$n exited; see $dir/node$n.log" >&2; return 1; }
    sleep 1
  done
  echo "node$n not ready after 120 s; see $dir/node$n.log" >&2
  return 1
}

status() {
  for n in "${nodes[@]}"; do
    if running "$n"; then
      echo "node$n: pid $(cat "$dir/node$n.pid"), ready: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:855$n/ready")"
    else
      echo "node$n: not running"
    fi
  done
  curl -fsS "http://127.0.0.1:8551/cluster/members" 2>/dev/null \
    || curl -fsS "http://127.0.0.1:8552/cluster/members" 2>/dev/null \
    || echo "no node answers on its management port"
  echo
}

# SIGTERM: each node drains its requests, hands its shards over and leaves the cluster.
stop() {
  for n in "${nodes[@]}"; do
    if running "$n"; then
      kill -TERM "$(cat "$dir/node$n.pid")"
      echo "node$n: SIGTERM sent"
    fi
  done
  for n in "${nodes[@]}"; do
    while running "$n"; do sleep 0.5; done
    rm -f "$dir/node$n.pid"
  done
  echo "all nodes stopped"
}

running() {
  local pid_file="$dir/node$1.pid"
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
