#!/usr/bin/env bash
# Starts or stops N Gyre nodes on this machine that form one cluster over 127.0.0.1.
#   scripts/cluster.sh start [N]   N nodes (default 3) on ports 8000, 8001, ... with conf/config.json
#   scripts/cluster.sh stop        stops them (SIGTERM: clients get 3001 and reconnect elsewhere)
#   scripts/cluster.sh status      lists the running nodes
# Build first: mvn -B -q package -DskipTests. Logs and pids go to .cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cluster
jar=target/gyre.jar
config=${GYRE_CONFIG:-conf/config.json}
export GYRE_CLUSTER_NAME=${GYRE_CLUSTER_NAME:-gyre-local}

start() {
  local n=${1:-3}
  [ -f "$jar" ] || { echo "error: $jar not found; build it with: mvn -B -q package -DskipTests" >&2; exit 1; }
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    local port=$((8000 + i))
    java -jar "$jar" --config "$config" --port "$port" --cluster >"$dir/node-$port.log" 2>&1 &
    echo $! >"$dir/node-$port.pid"
    echo "node $i: http://127.0.0.1:$port (pid $!, log $dir/node-$port.log)"
  done
  for ((i = 0; i < n; i++)); do
    local port=$((8000 + i))
    for _ in $(seq 1 120); do
      curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fs "http://127.0.0.1:$port/health" >/dev/null || { echo "error: node on $port did not start; see $dir/node-$port.log" >&2; exit 1; }
  done
  echo "cluster $GYRE_CLUSTER_NAME of $n nodes is up"
}

stop() {
  shopt -s nullglob
  for f in "$dir"/node-*.pid; do
    local pid; pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  echo "stopped"
}

status() {
  shopt -s nullglob
  for f in "$dir"/node-*.pid; do
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$f" .pid): running (pid $pid)"; else echo "$(basename "$f" .pid): dead"; fi
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
