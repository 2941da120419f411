"""The broker's side of a case: drive a real RabbitMQ through the steps an
mqsim scenario describes, with pika, and observe what it does.

`declare` builds the scenario's queues, exchanges and bindings on the
broker. `play` then does what mqsim's engine does, in the same order: the
producers' publishes, the consumers' subscriptions with their prefetch, each
consumer processing its deliveries one at a time in delivery order and
acking, rejecting with requeue or rejecting without (poison messages always
fail), and the `crash_consumer` / `restart_consumer` faults as a channel
closing and a new one subscribing. Time is the scenario's: a virtual clock
orders the steps, and after each step the driver waits until the broker has
been quiet for `SETTLE` seconds, so that every delivery the step caused has
arrived before the next step. In `realtime` mode (cases with a TTL) the
virtual clock is also slept, one to one, so that the broker's own clock
passes every TTL the scenario does; those cases keep every event far from
every TTL boundary. At the end, every queue is read head first with
`basic.get` on a channel of its own, while the consumers still hold what
they hold.
"""

import heapq
import time

import pika
import pika.exceptions

from observe import Observation, dead_letter_note

# How long the broker must be quiet before a step counts as settled. A
# delivery on loopback takes well under a millisecond; this is a margin, not
# a race: a step's deliveries arrive within it or the broker is broken.
SETTLE = 0.1

UNITS = [("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
         ("h", 3_600_000_000_000)]


class Unsupported(Exception):
    """The scenario uses something the driver cannot play on the broker."""


def nanos(text):
    for unit, factor in sorted(UNITS, key=lambda u: -len(u[0])):
        if text.endswith(unit):
            number = text[: -len(unit)]
            if number.replace(".", "", 1).isdigit():
                return round(float(number) * factor)
    raise Unsupported(f"duration {text!r}")


def millis(text):
    n = nanos(text)
    if n % 1_000_000:
        raise Unsupported(f"{text!r} is not a whole number of milliseconds (AMQP TTLs are)")
    return n // 1_000_000


class Broker:
    """One connection to the private node, and the names a case declared."""

    def __init__(self, port):
        self.params = pika.ConnectionParameters("127.0.0.1", port, heartbeat=0, blocked_connection_timeout=30)
        self.conn = pika.BlockingConnection(self.params)
        self.admin = self.conn.channel()

    def close(self):
        try:
            self.conn.close()
        except pika.exceptions.AMQPError:
            pass

    def settle(self, quiet=SETTLE, limit=5.0):
        """Processes what the broker sends until it has been quiet for `quiet` s."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            before = self.frames
            self.conn.process_data_events(time_limit=quiet)
            if self.frames == before:
                return
        raise RuntimeError(f"the broker kept sending for {limit} s")

    frames = 0

    def await_consumers(self, queue, count, limit=5.0):
        """Waits until `queue` has `count` consumers. The queue drops a
        closed channel's consumer and takes back its unacked messages in one
        step, after the channel is gone; waiting for the first tells that the
        second is done, so the settle that follows sees their redelivery."""
        deadline = time.monotonic() + limit
        while self.admin.queue_declare(queue, passive=True).method.consumer_count != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{queue} still has the closed channel's consumer after {limit} s")
            self.conn.process_data_events(time_limit=0.01)

    def heard(self):
        self.frames += 1


def queue_arguments(spec, overrides):
    args = {}
    if "max_length" in spec:
        args["x-max-length"] = spec["max_length"]
    overflow = spec.get("overflow", "drop_head")
    if overflow == "reject_publish":
        args["x-overflow"] = "reject-publish"
    elif overflow == "block":
        raise Unsupported("overflow block (RabbitMQ blocks whole connections by memory alarm, not per queue)")
    if "delivery_limit" in spec:
        # mqsim's delivery_limit is RabbitMQ quorum queues' `x-delivery-limit`.
        args["x-queue-type"] = "quorum"
        args["x-delivery-limit"] = spec["delivery_limit"]
    if "dead_letter" in spec:
        args["x-dead-letter-exchange"] = ""
        args["x-dead-letter-routing-key"] = spec["dead_letter"]
    if "message_ttl" in spec:
        args["x-message-ttl"] = millis(spec["message_ttl"])
    args.update(overrides)
    return args


def declare(broker, scenario, queue_args=None, extra=None):
    """Declares the scenario's queues, exchanges and bindings (deleting any
    left by an earlier case), plus `extra(channel)` for what mqsim cannot
    express."""
    ch = broker.admin
    queue_args = queue_args or {}
    for x in scenario.get("exchanges", []):
        ch.exchange_delete(x["name"])
    for q in scenario["queues"]:
        ch.queue_delete(q["name"])
        if q.get("exclusive"):
            raise Unsupported("exclusive queues")
        args = queue_arguments(q, queue_args.get(q["name"], {}))
        durable = q.get("durable", True) or args.get("x-queue-type") == "quorum"
        ch.queue_declare(q["name"], durable=durable, arguments=args)
    for x in scenario.get("exchanges", []):
        args = {}
        if "alternate_exchange" in x:
            args["alternate-exchange"] = x["alternate_exchange"]
        ch.exchange_declare(x["name"], exchange_type=x["type"], durable=False, arguments=args)
    for x in scenario.get("exchanges", []):
        for b in x.get("bindings", []):
            key = b.get("key", "")
            arguments = b.get("arguments")
            if "queue" in b:
                ch.queue_bind(b["queue"], x["name"], routing_key=key, arguments=arguments)
            else:
                ch.exchange_bind(destination=b["exchange"], source=x["name"], routing_key=key, arguments=arguments)
    if extra:
        extra(ch)


def teardown(broker, scenario, names=()):
    ch = broker.admin
    for q in scenario["queues"]:
        ch.queue_delete(q["name"])
    for x in scenario.get("exchanges", []):
        ch.exchange_delete(x["name"])
    for q in names:
        ch.queue_delete(q)


def publishes(scenario):
    """Every message the scenario's producers send, in mqsim's order:
    [(t_ns, name, producer spec, k-th of its producer)]."""
    timed = []
    for p, spec in enumerate(scenario.get("producers", [])):
        arrivals = spec["arrivals"]
        if "constant" not in arrivals or "count" not in spec:
            raise Unsupported(f"producer {spec['name']}: only constant arrivals with a count are played")
        rate = arrivals["constant"]["rate"]
        start = nanos(spec.get("start", "0s"))
        for k in range(spec["count"]):
            # engine/arrivals.rs: the k-th arrival is at start + k/r, rounded to the nanosecond.
            timed.append((start + round(k * 1_000_000_000 / rate), p, k, spec))
    timed.sort(key=lambda m: (m[0], m[1]))
    for a, b in zip(timed, timed[1:]):
        if a[0] == b[0]:
            raise Unsupported("two producers publish at the same instant; give them different starts")
    return [(t, f"m{i}", spec, k) for i, (t, p, k, spec) in enumerate(timed)]


class Consumer:
    def __init__(self, group, instance):
        self.group = group
        self.label = f"{group['name']}#{instance}"
        self.instance = instance
        self.channel = None
        self.held = []  # [(name, delivery tag)], in delivery order
        self.busy = False
        self.epoch = 0


def play(broker, scenario, realtime=False, observe_end=True):
    """Plays the scenario's publishes, consumers and faults on the broker and
    returns what was observed."""
    obs = Observation()
    poison = set()
    msgs = publishes(scenario)
    for _, name, spec, _ in msgs:
        frac = spec.get("poison_fraction", 0)
        if frac not in (0, 1):
            raise Unsupported("poison_fraction other than 0 or 1 (mqsim draws it at random)")
        if frac == 1:
            poison.add(name)

    pub = broker.conn.channel()
    pub.confirm_delivery()
    consumers = []
    for group in scenario.get("consumers", []):
        if group.get("failure_probability", 0) not in (0,):
            raise Unsupported("failure_probability (mqsim draws it at random)")
        if "service" not in group or "constant" not in group["service"]:
            raise Unsupported("consumers need a constant service time")
        for unsupported in ("ack_timeout", "ack_loss_probability", "idempotent", "emits", "calls", "rate_limit"):
            if unsupported in group:
                raise Unsupported(f"consumer {unsupported}")
        on_failure = group.get("on_failure", "requeue")
        if on_failure not in ("requeue", "dead_letter"):
            raise Unsupported("on_failure retry (a backoff held by mqsim's broker)")
        for i in range(group.get("count", 1)):
            consumers.append(Consumer(group, i))

    # The virtual clock: (t, order, action, args). Ties are refused except
    # between faults, which mqsim applies in the scenario's order.
    agenda = []
    order = [0]

    def at(t, kind, *args):
        order[0] += 1
        heapq.heappush(agenda, (t, order[0], kind, args))

    for t, name, spec, k in msgs:
        at(t, "publish", name, spec, k)
    for f in scenario.get("faults", []):
        action = f["action"]
        (kind, ref), = action.items()
        if kind not in ("crash_consumer", "restart_consumer"):
            raise Unsupported(f"fault {kind}")
        c = next(c for c in consumers if c.group["name"] == ref["consumer"] and c.instance == ref.get("instance", 0))
        at(nanos(f["at"]), kind, c)
    now = [0]
    wall_start = time.monotonic()

    def start_service(c):
        c.busy = True
        at(now[0] + nanos(c.group["service"]["constant"]), "done", c, c.epoch)

    def on_delivery(c):
        def callback(ch, method, props, body):
            broker.heard()
            name = body.decode()
            obs.deliveries.setdefault(c.label, []).append(name + ("*" if method.redelivered else ""))
            if c.group.get("ack", "manual") == "auto":
                c.held.append((name, None))
            else:
                c.held.append((name, method.delivery_tag))
            if not c.busy:
                start_service(c)
        return callback

    def subscribe(c):
        c.channel = broker.conn.channel()
        auto = c.group.get("ack", "manual") == "auto"
        if not auto:
            c.channel.basic_qos(prefetch_count=c.group.get("prefetch", 1))
        c.channel.basic_consume(c.group["queue"], on_delivery(c), auto_ack=auto)

    for c in consumers:
        subscribe(c)
    broker.settle()

    end = nanos(scenario["duration"])
    while agenda and agenda[0][0] <= end:
        t, _, kind, args = heapq.heappop(agenda)
        if agenda and agenda[0][0] == t and not (kind.endswith("_consumer") and agenda[0][2].endswith("_consumer")):
            raise Unsupported(f"two steps at {t} ns ({kind}, {agenda[0][2]}); mqsim orders them by scheduling")
        now[0] = t
        if realtime:
            delay = wall_start + t / 1e9 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if kind == "publish":
            publish(pub, obs, *args)
        elif kind == "done":
            c, epoch = args
            if epoch != c.epoch:
                continue
            finish(c, poison)
            if c.held:
                start_service(c)
            else:
                c.busy = False
        elif kind == "crash_consumer":
            (c,) = args
            if c.channel is not None:
                c.channel.close()
                c.channel = None
                c.held = []
                c.busy = False
                c.epoch += 1
                still = sum(1 for o in consumers if o.channel is not None and o.group["queue"] == c.group["queue"])
                broker.await_consumers(c.group["queue"], still)
        elif kind == "restart_consumer":
            (c,) = args
            if c.channel is None:
                subscribe(c)
        broker.settle()

    if realtime:
        delay = wall_start + end / 1e9 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    if observe_end:
        read_queues(broker, scenario, obs)
    for c in consumers:
        if c.channel is not None and c.channel.is_open:
            c.channel.close()
    pub.close()
    return obs


def publish(ch, obs, name, spec, k):
    props = pika.BasicProperties(message_id=name, headers=spec.get("headers"),
                                 delivery_mode=2 if spec.get("persistent") else 1)
    if "ttl" in spec:
        props.expiration = str(millis(spec["ttl"]))
    if "queue" in spec:
        exchange, key = "", spec["queue"]
    else:
        exchange = spec["exchange"]
        keys = spec.get("routing_keys")
        key = keys[k % len(keys)] if keys else spec.get("routing_key", "")
        if "{key}" in key:
            raise Unsupported("routing key templates")
    try:
        ch.basic_publish(exchange, key, name.encode(), props, mandatory=spec.get("mandatory", False))
        if spec.get("confirm"):
            obs.confirms[name] = "ack"
    except pika.exceptions.UnroutableError:
        # basic.return, then the confirm (RabbitMQ confirms a returned message).
        obs.returned.append(name)
        if spec.get("confirm"):
            # pika raises this only for a message returned before its confirm.
            obs.confirms[name] = "returned+ack"
    except pika.exceptions.NackError:
        if spec.get("confirm"):
            obs.confirms[name] = "nack"


def finish(c, poison):
    """Consumer `c` finishes the first message it holds: ack on success; on
    failure, what its group's `on_failure` says."""
    name, tag = c.held.pop(0)
    if tag is None:
        return  # auto ack: the broker forgot it at delivery
    if name in poison:
        requeue = c.group.get("on_failure", "requeue") == "requeue"
        c.channel.basic_reject(tag, requeue=requeue)
    else:
        c.channel.basic_ack(tag)


def read_queues(broker, scenario, obs, names=None):
    """Every queue's ready messages, head first, read with basic.get."""
    ch = broker.conn.channel()
    names = names or [q["name"] for q in scenario["queues"]]
    for q in names:
        obs.depths[q] = ch.queue_declare(q, passive=True).method.message_count
    for q in names:
        ready = []
        while True:
            method, props, body = ch.basic_get(q, auto_ack=True)
            if method is None:
                break
            ready.append(body.decode() + death_note(props))
        obs.queues[q] = ready
    ch.close()


def death_note(props):
    """The dead-letter reason and source of the latest death (RabbitMQ puts
    the most recent `x-death` entry first)."""
    deaths = (props.headers or {}).get("x-death")
    if not deaths:
        return ""
    last = deaths[0]
    return dead_letter_note(last["reason"], last["queue"], last.get("count", 1))
