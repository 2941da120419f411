#!/usr/bin/env bash
# The broker differential suite (tests/broker/README.md): starts a private
# RabbitMQ node and a private nats-server (JetStream), runs every case against
# them and in mqsim, and stops both, also on failure.
#   bash tests/broker/run.sh            compare; fails on an undocumented difference
#                                       or when docs/broker-agreement.md is out of date
#   bash tests/broker/run.sh --write    the same, and rewrites docs/broker-agreement.md
#   bash tests/broker/run.sh CASE...    only these cases, printing both outcomes
# Needs root (the node runs as the `rabbitmq` user) and `scripts/setup.sh --broker`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"

write=0
cases=()
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    -*) die "unknown option: $arg (usage: tests/broker/run.sh [--write] [CASE...])" ;;
    *) cases+=("$arg") ;;
  esac
done

VENV="$ROOT/.venv-broker"
if [ ! -x "$VENV/bin/python" ] || [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || [ ! -x /usr/sbin/nats-server ] \
   || ! "$VENV/bin/python" -c 'import pika, nats' 2>/dev/null; then
  die "the broker suite needs RabbitMQ, nats-server, pika and nats-py: run 'bash scripts/setup.sh --broker' first"
fi

cargo build --quiet --bin mqsim
MQSIM="$(cargo_target_dir)/debug/mqsim"

free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A private node: its own name, folders, ports and Erlang cookie, all under a
# temporary folder the `rabbitmq` user owns (the server refuses to start
# where it cannot create its feature-flags file). Not the system service.
NODE_DIR="$(mktemp -d /tmp/mqsim-rabbitmq.XXXXXX)"
NODE="mqsim$$@localhost"
AMQP_PORT="$(free_port)"
DIST_PORT="$(free_port)"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$NODE_DIR/.erlang.cookie"
chmod 400 "$NODE_DIR/.erlang.cookie"
chown -R rabbitmq:rabbitmq "$NODE_DIR"
node_env=(
  HOME="$NODE_DIR"
  RABBITMQ_NODENAME="$NODE"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$AMQP_PORT"
  RABBITMQ_DIST_PORT="$DIST_PORT"
  RABBITMQ_MNESIA_BASE="$NODE_DIR/mnesia"
  RABBITMQ_LOG_BASE="$NODE_DIR/log"
  RABBITMQ_PID_FILE="$NODE_DIR/pid"
  RABBITMQ_ENABLED_PLUGINS_FILE="$NODE_DIR/enabled_plugins"
  RABBITMQ_FEATURE_FLAGS_FILE="$NODE_DIR/feature_flags"
  RABBITMQ_CONFIG_FILE="$NODE_DIR/rabbitmq"
  RABBITMQ_ADVANCED_CONFIG_FILE="$NODE_DIR/advanced.config"
  RABBITMQ_CONF_ENV_FILE="$NODE_DIR/rabbitmq-env.conf"
)
ctl() { env HOME="$NODE_DIR" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$NODE" "$@"; }

# RabbitMQ starts Erlang's port mapper (epmd) if none runs, and leaves it
# running; stop it afterwards only if this script caused it.
epmd_was_running=0
if epmd -names >/dev/null 2>&1; then epmd_was_running=1; fi

server_pid=""
nats_pid=""
stop_node() {
  local status=$?
  if [ -n "$nats_pid" ]; then
    kill "$nats_pid" 2>/dev/null || true
    wait "$nats_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ]; then
    ctl stop >/dev/null 2>&1 || kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$epmd_was_running" = 0 ]; then epmd -kill >/dev/null 2>&1 || true; fi
  if [ "$status" != 0 ] && [ -d "$NODE_DIR/log" ]; then
    say "the node's logs stay in $NODE_DIR/log, the nats-server's in $NODE_DIR/nats.log"
  else
    rm -rf "$NODE_DIR"
  fi
}
trap stop_node EXIT

say "starting a private RabbitMQ node $NODE on 127.0.0.1:$AMQP_PORT"
started=$SECONDS
runuser -u rabbitmq -- env "${node_env[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server >"$NODE_DIR/server.out" 2>&1 &
server_pid=$!
if ! ctl wait --timeout 60 "$NODE_DIR/pid" >/dev/null 2>&1 || ! ctl await_startup --timeout 60 >/dev/null 2>&1; then
  tail -n 20 "$NODE_DIR/server.out" >&2 || true
  die "the RabbitMQ node did not start within 60 s (its output is above; logs in $NODE_DIR/log)"
fi
say "node ready in $((SECONDS - started)) s"

# A private nats-server with JetStream: 127.0.0.1, a free port, its store
# under the same temporary folder; not the system service. It writes "Server
# is ready" to its log once it accepts clients (JetStream is enabled before).
NATS_PORT="$(free_port)"
say "starting a private nats-server on 127.0.0.1:$NATS_PORT (JetStream store in $NODE_DIR/jetstream)"
/usr/sbin/nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$NODE_DIR/jetstream" -l "$NODE_DIR/nats.log" \
  >"$NODE_DIR/nats.out" 2>&1 &
nats_pid=$!
for _ in $(seq 1 100); do
  if grep -q "Server is ready" "$NODE_DIR/nats.log" 2>/dev/null; then break; fi
  if ! kill -0 "$nats_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if ! grep -q "Server is ready" "$NODE_DIR/nats.log" 2>/dev/null; then
  tail -n 20 "$NODE_DIR/nats.log" "$NODE_DIR/nats.out" >&2 || true
  die "the nats-server did not start within 10 s (its output is above)"
fi
say "nats-server ready"

report="$NODE_DIR/broker-agreement.md"
"$VENV/bin/python" tests/broker/suite.py --port "$AMQP_PORT" --nats-port "$NATS_PORT" --mqsim "$MQSIM" --write "$report" "${cases[@]+"${cases[@]}"}"

if [ "${#cases[@]}" = 0 ]; then
  if [ "$write" = 1 ]; then
    cp "$report" docs/broker-agreement.md
    say "wrote docs/broker-agreement.md"
  elif ! cmp -s "$report" docs/broker-agreement.md; then
    diff -u docs/broker-agreement.md "$report" | head -n 40 >&2 || true
    die "docs/broker-agreement.md is out of date: run 'bash tests/broker/run.sh --write'"
  fi
fi
