#!/bin/sh
# The broadcast benchmark (issue 10): a 10,000-recipient broadcast through Wardfleet against the same fan-out through
# Mosquitto, then inbound WCTP submissions per second. Results: server/target/broadcast-benchmark.txt and
# docs/benchmarks.md. Usage (from the repository root): server/bench/broadcast-benchmark.sh [recipients [maven args]]
# e.g. -Dbench.jfr=/tmp/server.jfr records the server during the broadcast
set -eu
RECIPIENTS="${1:-10000}"
[ $# -gt 0 ] && shift
PORT=18830
if ! command -v mosquitto >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y mosquitto >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y mosquitto >/dev/null; }
  else
    sudo apt-get install -y mosquitto
  fi
fi
PATH="$PATH:/usr/sbin"
mkdir -p server/target
CONF=server/target/mosquitto-bench.conf
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$PORT" > "$CONF"
mosquitto -c "$CONF" > server/target/mosquitto-bench.log 2>&1 &
MOSQUITTO=$!
trap 'kill $MOSQUITTO 2>/dev/null || true' EXIT INT TERM
sleep 1
mvn -B -q test -pl server -am -Dtest=BroadcastBenchmark -Dgroups=benchmark -Dwardfleet.excluded-groups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Djunit.jupiter.execution.timeout.default=180m \
    -Dbench.recipients="$RECIPIENTS" -Dbench.mqttPort="$PORT" "$@"
cat server/target/broadcast-benchmark.txt
