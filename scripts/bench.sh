#!/usr/bin/env bash
# Runs the benchmark set of docs/benchmarks.md on this machine: a Gyre node pinned to CPU 0,
# the load generator pinned to CPU 1. Results (JSON and HTML) go to bench-results/.
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-results
mkdir -p "$out"
cp target/gyre.jar "$out/gyre-server.jar"   # the server runs from a copy: rebuilding must not pull the jar from under it
ulimit -n 20000
taskset -c 0 java -jar "$out/gyre-server.jar" --config conf/bench.json >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8000/health >/dev/null 2>&1 && break; sleep 0.2; done
bench() { taskset -c 1 java -jar target/gyre.jar bench "$@" --secret bench-secret --api-key bench-key --server-pid "$server" | tail -2 | head -1; }
for subs in 1000 5000; do
  for rate in 10 100 max; do
    echo "fanout $subs x $rate/s:"
    bench fanout --subscribers "$subs" --rate "$rate" --in-flight 4 --duration 15s --warmup 3s --out "$out/fanout-$subs-$rate.json"
  done
  echo "ceiling $subs x max/s:"
  taskset -c 1 java -jar target/gyre.jar bench fanout --ceiling --ceiling-cpus 0 --subscribers "$subs" --rate max \
    --in-flight 4 --duration 15s --warmup 3s --out "$out/ceiling-$subs.json" | tail -2 | head -1
done
for c in 16 64; do
  echo "API publish over HTTP, concurrency $c:"
  bench publish --concurrency "$c" --duration 10s --warmup 3s --out "$out/publish-$c.json"
  echo "API publish over gRPC, concurrency $c:"
  bench publish --grpc 127.0.0.1:10000 --concurrency "$c" --duration 10s --warmup 3s --out "$out/publish-grpc-$c.json"
done
# The same fan-out against Socket.IO 4.8 (a tiny room server from npm, bench/socketio; never shipped).
if command -v node >/dev/null; then
  (cd bench/socketio && npm install --no-audit --no-fund --silent)
  kill $server; wait $server 2>/dev/null || true
  taskset -c 0 node bench/socketio/server.js 3300 >"$out/socketio.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/3300) 2>/dev/null && break; sleep 0.1; done
  for subs in 1000 5000; do
    for rate in 10 100 max; do
      echo "socket.io fanout $subs x $rate/s:"
      taskset -c 1 java -jar target/gyre.jar bench fanout --format socketio --server-pid "$server" \
        --url "ws://127.0.0.1:3300/socket.io/?EIO=4&transport=websocket" --api http://127.0.0.1:3300/pub \
        --subscribers "$subs" --rate "$rate" --in-flight 4 --duration 15s --warmup 3s \
        --out "$out/socketio-$subs-$rate.json" | tail -2 | head -1
    done
  done
  kill $server; wait $server 2>/dev/null || true
  taskset -c 0 java -jar "$out/gyre-server.jar" --config conf/bench.json >>"$out/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8000/health >/dev/null 2>&1 && break; sleep 0.2; done
fi
echo "idle connections:"
bench connections --connections 19000 --ramp 2000 --hold 5s --out "$out/connections-19000.json"
echo "charts:"
java -jar target/gyre.jar bench charts --dir "$out" --out docs/bench
