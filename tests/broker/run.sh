#!/usr/bin/env bash
# The broker differential suite (tests/broker/README.md): starts a private
# RabbitMQ node, runs every case against it and in mqsim, and stops the node,
# also on failure.
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
if [ ! -x "$VENV/bin/python" ] || [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  die "the broker suite needs RabbitMQ and pika: run 'bash scripts/setup.sh --broker' first"
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
stop_node() {
  local status=$?
  if [ -n "$server_pid" ]; then
    ctl stop >/dev/null 2>&1 || kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$epmd_was_running" = 0 ]; then epmd -kill >/dev/null 2>&1 || true; fi
  if [ "$status" != 0 ] && [ -d "$NODE_DIR/log" ]; then
    say "the node's logs stay in $NODE_DIR/log"
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

report="$NODE_DIR/broker-agreement.md"
"$VENV/bin/python" tests/broker/suite.py --port "$AMQP_PORT" --mqsim "$MQSIM" --write "$report" "${cases[@]+"${cases[@]}"}"

if [ "${#cases[@]}" = 0 ]; then
  if [ "$write" = 1 ]; then
    cp "$report" docs/broker-agreement.md
    say "wrote docs/broker-agreement.md"
  elif ! cmp -s "$report" docs/broker-agreement.md; then
    diff -u docs/broker-agreement.md "$report" | head -n 40 >&2 || true
    die "docs/broker-agreement.md is out of date: run 'bash tests/broker/run.sh --write'"
  fi
fi
