#!/bin/sh
# The broadcast benchmark (issue 10): a 10,000-recipient broadcast through Wardfleet against the same fan-out through
# Mosquitto, then inbound WCTP submissions per second. Results: server/target/broadcast-benchmark.txt and
# docs/benchmarks.md. Usage (from the repository root):
#   server/bench/broadcast-benchmark.sh [--tls] [recipients [maven args]]
# e.g. -Dbench.jfr=/tmp/server.jfr records the server during the broadcast. --tls (issue 24): every simulated phone
# connects over TLS — wss:// to Wardfleet and to the encrypted floor, MQTT over TLS to Mosquitto — all three serving
# one throwaway certificate made here with openssl; the handshakes happen before the clocks start.
set -eu
TLS=
if [ "${1:-}" = "--tls" ]; then TLS=1; shift; fi
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
if [ -n "$TLS" ]; then
  CERTS="$(pwd)/server/target/bench-tls"
  mkdir -p "$CERTS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$CERTS/key.pem" -out "$CERTS/cert.pem" 2>/dev/null
  chmod 644 "$CERTS/key.pem" # a throwaway key; Mosquitto started as root reads it as user mosquitto
  printf 'certfile %s\nkeyfile %s\n' "$CERTS/cert.pem" "$CERTS/key.pem" >> "$CONF"
  set -- -Dbench.tls=true -Dbench.tlsCert="$CERTS/cert.pem" -Dbench.tlsKey="$CERTS/key.pem" "$@"
fi
mosquitto -c "$CONF" > server/target/mosquitto-bench.log 2>&1 &
MOSQUITTO=$!
trap 'kill $MOSQUITTO 2>/dev/null || true' EXIT INT TERM
sleep 1
mvn -B -q test -pl server -am -Dtest=BroadcastBenchmark -Dgroups=benchmark -Dwardfleet.excluded-groups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Djunit.jupiter.execution.timeout.default=180m \
    -Dbench.recipients="$RECIPIENTS" -Dbench.mqttPort="$PORT" "$@"
cat server/target/broadcast-benchmark.txt
