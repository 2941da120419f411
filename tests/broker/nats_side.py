"""The NATS side of a case: drive a real nats-server (with JetStream)
through the steps an mqsim scenario describes, with nats-py, and observe
what it does.

mqsim stands for NATS with its queue family (scenarios/nats-core-vs-durable.json,
src/amqp/pubsub.rs), and this driver plays a scenario the same way:

- A subject is a fanout exchange's name (publishing to the exchange is
  publishing on the subject) or a queue's name (a producer's `queue`).
- An `exclusive` queue is a **core subscription** on its subject: it exists
  only while its consumer is connected, stores nothing and acks nothing. A
  consumer group of several instances is a **queue group** named after the
  queue (each message goes to one member).
- A durable queue is a **JetStream durable push consumer** on one stream
  that captures every subject of the scenario: explicit acks, its own
  deliver subject, `max_ack_pending` the group's prefetch times its
  instances (JetStream counts unacked messages per consumer, not per
  subscriber), `ack_wait` the consumer's `ack_timeout` (JetStream's default,
  30 s, when it has none), `max_deliver` the queue's `delivery_limit` + 1 (mqsim
  and a quorum queue count *returns*, JetStream counts *deliveries*), and a
  `deliver_group` when the group has several instances.
- Every consumer instance has a connection of its own; `crash_consumer`
  closes it and `restart_consumer` connects and subscribes again.
- A consumer finishes its deliveries one at a time in delivery order, with
  `ack` (JetStream) or nothing (core), or `nak` for a poison message
  (mqsim's `on_failure: requeue`).
- Publishes go through JetStream (`js.publish`, which returns once the
  stream has stored the message, as a confirm does); core subscribers get
  them as any subscriber on the subject does.

Time is the scenario's, on a virtual clock, as in rabbit.py: after each
step the driver waits until the server has been quiet for `SETTLE` seconds.
In `realtime` mode (cases where JetStream's own timer, `ack_wait`, matters)
the clock is also slept one to one, and a delivery the server makes on its
own (a redelivery after `ack_wait`) is stamped with the time it arrives.
"""

import asyncio
import heapq
import time

import nats
import nats.js.errors
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig

from observe import Observation
from rabbit import Unsupported, nanos, publishes

SETTLE = 0.1
STREAM = "MQSIM"
# JetStream's default ack_wait (nats-server's consumer.go, JsAckWaitDefault).
DEFAULT_ACK_WAIT = 30.0


def subjects(scenario):
    """queue name -> the subject it listens on, and every subject published to."""
    of_queue = {q["name"]: q["name"] for q in scenario["queues"]}
    for x in scenario.get("exchanges", []):
        if x["type"] != "fanout":
            raise Unsupported(f"exchange {x['name']}: only fanout exchanges stand for a NATS subject")
        for b in x.get("bindings", []):
            if "queue" not in b:
                raise Unsupported("exchange-to-exchange bindings")
            of_queue[b["queue"]] = x["name"]
    published = set()
    for p in scenario.get("producers", []):
        published.add(p.get("queue") or p["exchange"])
    return of_queue, sorted(set(of_queue.values()) | published)


class Instance:
    def __init__(self, group, instance, queue):
        self.group = group
        self.label = f"{group['name']}#{instance}"
        self.instance = instance
        self.queue = queue
        self.conn = None
        self.held = []  # [(name, msg or None)], in delivery order
        self.busy = False
        self.epoch = 0


class Server:
    """The private nats-server, one admin connection to it."""

    def __init__(self, port):
        self.url = f"nats://127.0.0.1:{port}"
        self.loop = asyncio.new_event_loop()
        self.admin = self.run(nats.connect(self.url))
        self.js = self.admin.jetstream()
        self.version = self.admin._server_info.get("version", "?")

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def close(self):
        self.run(self.admin.close())
        self.loop.close()


def play(server, scenario, realtime=False):
    return server.run(_play(server, scenario, realtime))


async def _play(server, scenario, realtime):
    queue_subject, all_subjects = subjects(scenario)
    queues = {q["name"]: q for q in scenario["queues"]}
    msgs = publishes(scenario)
    poison = set()
    for _, name, spec, _ in msgs:
        frac = spec.get("poison_fraction", 0)
        if frac not in (0, 1):
            raise Unsupported("poison_fraction other than 0 or 1 (mqsim draws it at random)")
        if frac == 1:
            poison.add(name)
        for unsupported in ("ttl", "headers", "mandatory", "routing_keys", "routing_key"):
            if unsupported in spec:
                raise Unsupported(f"producer {unsupported}")

    instances = []
    js = server.js
    try:
        await js.delete_stream(STREAM)
    except nats.js.errors.NotFoundError:
        pass
    await js.add_stream(StreamConfig(name=STREAM, subjects=all_subjects))
    try:
        return await _drive(server, scenario, realtime, instances, queues, queue_subject, msgs, poison)
    finally:
        # Also when a case fails: no connection or stream outlives it.
        for c in instances:
            c.epoch += 1
            if c.conn is not None:
                await c.conn.close()
        await js.delete_stream(STREAM)


async def _drive(server, scenario, realtime, instances, queues, queue_subject, msgs, poison):
    js = server.js
    groups_of_queue = {}
    for group in scenario.get("consumers", []):
        if "service" not in group or "constant" not in group["service"]:
            raise Unsupported("consumers need a constant service time")
        for unsupported in ("failure_probability", "ack_loss_probability", "idempotent", "emits", "calls",
                            "rate_limit"):
            if group.get(unsupported):
                raise Unsupported(f"consumer {unsupported}")
        if group.get("on_failure", "requeue") != "requeue":
            raise Unsupported("on_failure other than requeue (JetStream has no dead-letter queue)")
        queue = queues[group["queue"]]
        exclusive = queue.get("exclusive", False)
        if exclusive != (group.get("ack", "manual") == "auto"):
            raise Unsupported("a core subscription (exclusive queue) acks nothing and a JetStream consumer "
                              "(durable queue) acks explicitly: use ack auto exactly for exclusive queues")
        if group["queue"] in groups_of_queue:
            raise Unsupported("two consumer groups on one queue")
        groups_of_queue[group["queue"]] = group
        for i in range(group.get("count", 1)):
            instances.append(Instance(group, i, queue))

    for name, queue in queues.items():
        for unsupported in ("max_length", "dead_letter", "message_ttl", "flush_every"):
            if unsupported in queue:
                raise Unsupported(f"queue {unsupported}")
        if queue.get("exclusive"):
            continue
        # A durable queue nobody reads is a durable consumer nobody subscribes to.
        group = groups_of_queue.get(name, {})
        count = group.get("count", 1)
        limit = queue.get("delivery_limit")
        ack_timeout = group.get("ack_timeout")
        await js.add_consumer(STREAM, ConsumerConfig(
            durable_name=durable_name(name),
            deliver_subject=deliver_subject(name),
            deliver_group=name if count > 1 else None,
            filter_subject=queue_subject[name],
            ack_policy=AckPolicy.EXPLICIT,
            max_ack_pending=group.get("prefetch", 1) * count,
            ack_wait=nanos(ack_timeout) / 1e9 if ack_timeout else DEFAULT_ACK_WAIT,
            max_deliver=limit + 1 if limit is not None else -1,
        ))

    obs = Observation()
    agenda = []
    order = [0]
    now = [0]
    heard = [0]
    wake = asyncio.Event()
    loop = asyncio.get_running_loop()
    wall_start = loop.time()  # set again below, when the scenario starts

    def at(t, kind, *args):
        order[0] += 1
        heapq.heappush(agenda, (t, order[0], kind, args))
        wake.set()

    for t, name, spec, k in msgs:
        at(t, "publish", name, spec)
    for f in scenario.get("faults", []):
        (kind, ref), = f["action"].items()
        if kind not in ("crash_consumer", "restart_consumer"):
            raise Unsupported(f"fault {kind}")
        c = next(c for c in instances if c.group["name"] == ref["consumer"] and c.instance == ref.get("instance", 0))
        at(nanos(f["at"]), kind, c)

    def stamp():
        """The virtual time of a delivery: the step that caused it, or, in
        realtime mode, when it arrived if that is later (a redelivery the
        server made on its own)."""
        if realtime:
            return max(now[0], round((loop.time() - wall_start) * 1e9))
        return now[0]

    def start_service(c, t):
        c.busy = True
        at(t + nanos(c.group["service"]["constant"]), "done", c, c.epoch)

    def on_delivery(c, epoch):
        async def callback(msg):
            if epoch != c.epoch:
                return
            heard[0] += 1
            name = msg.data.decode()
            core = c.queue.get("exclusive", False)
            redelivered = not core and msg.metadata.num_delivered > 1
            obs.deliveries.setdefault(c.label, []).append(name + ("*" if redelivered else ""))
            c.held.append((name, None if core else msg))
            if not c.busy:
                start_service(c, stamp())
        return callback

    async def subscribe(c):
        c.conn = await nats.connect(server.url, allow_reconnect=False)
        name = c.queue["name"]
        group_size = c.group.get("count", 1)
        if c.queue.get("exclusive"):
            await c.conn.subscribe(queue_subject[name], queue=name if group_size > 1 else "",
                                   cb=on_delivery(c, c.epoch))
        else:
            await c.conn.subscribe(deliver_subject(name), queue=name if group_size > 1 else "",
                                   cb=on_delivery(c, c.epoch))
        await c.conn.flush()

    async def settle(quiet=SETTLE, limit=5.0):
        started = time.monotonic()
        while time.monotonic() - started < limit:
            for conn in [server.admin] + [c.conn for c in instances if c.conn is not None]:
                await conn.flush()
            before = heard[0]
            await asyncio.sleep(quiet)
            if heard[0] == before:
                return
        raise RuntimeError(f"the server kept sending for {limit} s")

    for c in instances:
        await subscribe(c)
    await settle()

    end = nanos(scenario["duration"])
    wall_start = loop.time()  # virtual time 0, once every subscriber is in place
    while True:
        t = agenda[0][0] if agenda else end + 1
        if realtime:
            delay = wall_start + min(t, end) / 1e9 - loop.time()
            if delay > 0:
                # Sleep until the next step (or the end), unless a delivery
                # the server makes meanwhile schedules an earlier one.
                wake.clear()
                try:
                    await asyncio.wait_for(wake.wait(), delay)
                except asyncio.TimeoutError:
                    pass
                continue
        if t > end:
            break
        t, _, kind, args = heapq.heappop(agenda)
        now[0] = max(now[0], t)
        if kind == "publish":
            name, spec = args
            await js.publish(spec.get("queue") or spec["exchange"], name.encode())
        elif kind == "done":
            c, epoch = args
            if epoch != c.epoch:
                continue
            name, msg = c.held.pop(0)
            if msg is not None:
                if name in poison:
                    await msg.nak()
                else:
                    await msg.ack()
            if c.held:
                start_service(c, now[0])
            else:
                c.busy = False
        elif kind == "crash_consumer":
            (c,) = args
            if c.conn is not None:
                c.epoch += 1
                await c.conn.close()
                c.conn = None
                c.held = []
                c.busy = False
        elif kind == "restart_consumer":
            (c,) = args
            if c.conn is None:
                await subscribe(c)
        await settle()

    for c in instances:
        c.epoch += 1  # what arrives after the end is not observed
    for name, queue in queues.items():
        if queue.get("exclusive"):
            obs.depths[name] = 0  # a core subscription stores nothing
        else:
            info = await js.consumer_info(STREAM, durable_name(name))
            obs.depths[name] = info.num_pending
    return obs


def durable_name(queue):
    # JetStream names may not contain '.', '*', '>' or spaces.
    return queue.replace(".", "_")


def deliver_subject(queue):
    return f"deliver.{queue}"
