"""The cases, in the order of issue J: routing, acknowledgements,
dead-lettering, TTL, max-length, quorum queues, prefetch, confirms.

Each case is one behaviour: a small mqsim scenario (which the broker driver
also plays, see rabbit.py) and the facets of the observation to compare
(see observe.py). A case that mqsim does not model has a broker script of its
own and says why in `not_modelled`; a case where mqsim differs on purpose
says so in `differs`, naming the section of docs/semantics.md.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

import time

import pika
import pika.exceptions

import rabbit
from observe import Observation


@dataclass
class Case:
    id: str
    section: str
    title: str
    scenario: Optional[dict] = None
    compare: tuple = ("queues",)
    realtime: bool = False
    queue_args: dict = field(default_factory=dict)
    extra: Optional[Callable] = None
    extra_queues: tuple = ()
    broker_script: Optional[Callable] = None
    not_modelled: Optional[str] = None
    differs: Optional[str] = None
    # Which broker the case runs on: "rabbitmq" (rabbit.py) or "nats" (nats_side.py).
    broker: str = "rabbitmq"


CASES = []


def case(**kw):
    CASES.append(Case(**kw))


def scenario(name, queues, producers=(), consumers=(), exchanges=(), faults=(), duration="2s"):
    doc = {"name": name, "seed": 1, "duration": duration, "queues": list(queues), "producers": list(producers),
           "consumers": list(consumers)}
    if exchanges:
        doc["exchanges"] = list(exchanges)
    if faults:
        doc["faults"] = list(faults)
    return doc


def q(name, **kw):
    return {"name": name, **kw}


def producer(name, count, start="0s", rate=100, **kw):
    """`count` messages, 1/rate apart from `start`, to `queue=` or `exchange=`."""
    return {"name": name, "arrivals": {"constant": {"rate": rate}}, "count": count, "start": start, **kw}


def consumer(name, queue, service="10ms", **kw):
    return {"name": name, "queue": queue, "service": {"constant": service}, **kw}


def fault(at, kind, consumer_name, instance=0):
    return {"at": at, "action": {kind: {"consumer": consumer_name, "instance": instance}}}


def exchange(name, kind, bindings, **kw):
    return {"name": name, "type": kind, "bindings": bindings, **kw}


def to_queue(queue, key=None, **arguments):
    b = {"queue": queue}
    if key is not None:
        b["key"] = key
    if arguments:
        b["arguments"] = {k.replace("_", "-") if k.startswith("x_") else k: v for k, v in arguments.items()}
    return b


# ---------------------------------------------------------------- routing

case(id="direct-exact-key", section="Routing",
     title="a direct exchange routes on the exact routing key: no case folding, no wildcards; "
           "an empty binding key takes only the empty key",
     scenario=scenario("direct", [q("a"), q("b"), q("empty")],
                       exchanges=[exchange("x.direct", "direct", [to_queue("a", "a"), to_queue("b", "b"),
                                                                  to_queue("a", "b"), to_queue("empty", "")])],
                       producers=[producer("p", 6, exchange="x.direct",
                                           routing_keys=["a", "b", "A", "", "a.b", "*"])]))

case(id="fanout-every-queue", section="Routing",
     title="a fanout exchange gives every bound queue a copy, whatever the key",
     scenario=scenario("fanout", [q("f1"), q("f2"), q("f3")],
                       exchanges=[exchange("x.fanout", "fanout", [to_queue("f1"), to_queue("f2"), to_queue("f3")])],
                       producers=[producer("p", 3, exchange="x.fanout", routing_keys=["", "a.b", "#"])]))

TOPIC_BINDINGS = ["a.b.c", "a.*.c", "a.#.b", "a.b.b.c", "#", "#.#", "#.b", "*.*", "a.*", "*.b.c", "a.#", "a.#.#",
                  "b.b.c", "a.b.b", "a.b", "b.c", "", "*.*.*", "vodka.martini", "a.b.c", "*.#", "#.*.#", "*.#.#",
                  "#.#.#", "*", "#.b.#", "args-test"]
TOPIC_KEYS = ["a.b.c", "a.b", "a.b.b", "", "b.c.c", "a.a.a.a.a", "vodka.gin", "vodka.martini", "b.b.c",
              "nothing.here.at.all", "oneword", "args-test"]

case(id="topic-routing-suite-table", section="Routing",
     title="a topic exchange matches `*` and `#` as RabbitMQ's own routing_SUITE table does "
           "(27 bindings, 12 keys, the empty key included)",
     scenario=scenario("topic-table", [q(f"t{i + 1}") for i in range(len(TOPIC_BINDINGS))],
                       exchanges=[exchange("x.topic", "topic",
                                           [to_queue(f"t{i + 1}", k) for i, k in enumerate(TOPIC_BINDINGS)])],
                       producers=[producer("p", len(TOPIC_KEYS), exchange="x.topic", routing_keys=TOPIC_KEYS)]))

EMPTY_WORD_BINDINGS = ["a.*.c", "a.#", "*.a", "a.*", "*", "#.c", "a..c", "*.*"]
EMPTY_WORD_KEYS = ["a..c", "a.", ".a", ".", "a.c", "a"]

case(id="topic-empty-words", section="Routing",
     title="a topic key's empty words (`a..c`, `a.`, `.a`, `.`) are words that `*` matches",
     scenario=scenario("topic-empty", [q(f"e{i + 1}") for i in range(len(EMPTY_WORD_BINDINGS))],
                       exchanges=[exchange("x.topic2", "topic",
                                           [to_queue(f"e{i + 1}", k) for i, k in enumerate(EMPTY_WORD_BINDINGS)])],
                       producers=[producer("p", len(EMPTY_WORD_KEYS), exchange="x.topic2",
                                           routing_keys=EMPTY_WORD_KEYS)]))

HEADER_BINDINGS = [
    ("h-all", {"x-match": "all", "format": "pdf", "type": "report"}),
    ("h-any", {"x-match": "any", "format": "pdf", "type": "report"}),
    ("h-default", {"format": "pdf"}),
    ("h-empty-all", {"x-match": "all"}),
    ("h-empty-any", {"x-match": "any"}),
    ("h-void", {"trace": None}),
    ("h-int", {"n": 1}),
    ("h-x-all", {"x-match": "all", "x-tenant": "a"}),
    ("h-x-any", {"x-match": "any", "x-tenant": "a"}),
    ("h-allx", {"x-match": "all-with-x", "x-tenant": "a", "format": "pdf"}),
    ("h-anyx", {"x-match": "any-with-x", "x-tenant": "a"}),
]
HEADER_MESSAGES = [
    {"format": "pdf", "type": "report"},
    {"format": "pdf"},
    {"type": "report", "size": 3},
    {"trace": False, "n": 1},
    {"n": "1"},
    {"x-tenant": "a", "format": "pdf"},
    {"x-tenant": "b", "format": "pdf"},
    {},
]

case(id="headers-x-match", section="Routing",
     title="a headers exchange: `x-match` all and any, the default (all), bindings without arguments, "
           "a void argument as a presence test, typed values, and `x-` arguments ignored except "
           "by all-with-x / any-with-x",
     scenario=scenario("headers", [q(name) for name, _ in HEADER_BINDINGS],
                       exchanges=[exchange("x.headers", "headers",
                                           [{"queue": name, "arguments": args} for name, args in HEADER_BINDINGS])],
                       producers=[producer(f"p{i}", 1, start=f"{i}ms", exchange="x.headers", headers=h)
                                  for i, h in enumerate(HEADER_MESSAGES)]))

case(id="exchange-to-exchange-cycle", section="Routing",
     title="exchange-to-exchange bindings: a topic exchange forwards to a fanout one that binds back "
           "(a cycle): each queue gets one copy",
     scenario=scenario("e2e", [q("orders.eu"), q("audit.log")],
                       exchanges=[exchange("x.orders", "topic", [to_queue("orders.eu", "orders.eu.*"),
                                                                {"exchange": "x.audit", "key": "orders.#"}]),
                                  exchange("x.audit", "fanout", [to_queue("audit.log"), {"exchange": "x.orders"}])],
                       producers=[producer("p", 3, exchange="x.orders",
                                           routing_keys=["orders.eu.new", "orders.us.new", "refunds"])]))

case(id="alternate-exchange", section="Routing",
     title="an exchange that routes a message nowhere passes it to its alternate exchange; "
           "alternate exchanges that point at each other stop",
     scenario=scenario("ae", [q("known"), q("unrouted")],
                       exchanges=[exchange("x.main", "direct", [to_queue("known", "known")],
                                           alternate_exchange="x.ae"),
                                  exchange("x.ae", "direct", [to_queue("unrouted", "other")],
                                           alternate_exchange="x.main")],
                       producers=[producer("p", 3, exchange="x.main", routing_keys=["known", "other", "neither"])]))

case(id="mandatory-returns", section="Routing",
     title="`mandatory`: an unroutable message is returned to its publisher; one the alternate exchange "
           "routes is not; without `mandatory` it is dropped silently",
     compare=("queues", "returned"),
     scenario=scenario("mandatory", [q("known"), q("unrouted")],
                       exchanges=[exchange("x.m", "direct", [to_queue("known", "known")]),
                                  exchange("x.m-ae", "direct", [to_queue("known", "known")],
                                           alternate_exchange="x.m-fallback"),
                                  exchange("x.m-fallback", "fanout", [to_queue("unrouted")])],
                       producers=[producer("strict", 2, exchange="x.m", routing_keys=["known", "lost"],
                                           mandatory=True),
                                  producer("lax", 1, start="1ms", exchange="x.m", routing_key="lost"),
                                  producer("with-ae", 1, start="2ms", exchange="x.m-ae", routing_key="lost",
                                           mandatory=True)]))

# -------------------------------------------------------- acknowledgements

case(id="reject-requeue-to-head", section="Acknowledgements",
     title="a message rejected with requeue goes back to the head and is redelivered at once, flagged "
           "`redelivered`, ahead of the messages behind it",
     compare=("deliveries", "queues"),
     scenario=scenario("requeue", [q("work")], duration="75ms",
                       producers=[producer("poison", 1, queue="work", poison_fraction=1),
                                  producer("good", 2, start="1ms", queue="work")],
                       consumers=[consumer("worker", "work", prefetch=1)]))

case(id="reject-requeue-two-consumers", section="Acknowledgements",
     title="with two consumers, the one that rejected a message has credit again and is given it back at once, "
           "flagged, before the rest of the queue, which the other consumer takes",
     compare=("deliveries", "queues"),
     scenario=scenario("requeue2", [q("work")], duration="95ms",
                       producers=[producer("poison", 1, queue="work", poison_fraction=1),
                                  producer("good", 4, start="1ms", rate=1000, queue="work")],
                       consumers=[consumer("fast", "work", service="10ms"),
                                  consumer("slow", "work", service="27ms")]))

case(id="reject-without-requeue", section="Acknowledgements",
     title="a message rejected without requeue is dead-lettered with reason `rejected` (through the default "
           "exchange, with the dead-letter queue's name as routing key: mqsim's `dead_letter`), "
           "and the consumer goes on with the next",
     compare=("deliveries", "queues"),
     scenario=scenario("reject", [q("jobs", dead_letter="jobs.dlq"), q("jobs.dlq")], duration="100ms",
                       producers=[producer("good", 1, queue="jobs"),
                                  producer("poison", 1, start="1ms", queue="jobs", poison_fraction=1),
                                  producer("good2", 1, start="2ms", queue="jobs")],
                       consumers=[consumer("worker", "jobs", on_failure="dead_letter")]))

# Two consumers holding two messages each, then their channels close one
# after the other with nobody left subscribed: where do the returned
# messages go?
HOLD = [q("held")]
HOLDERS = [consumer("holder", "held", service="10s", prefetch=2, count=2)]
HOLD_PRODUCERS = [producer("p", 6, queue="held")]

case(id="returned-in-original-order-classic", section="Acknowledgements",
     title="classic queue: the unacked messages of two channels that close one after the other go back to "
           "their original places, interleaved as they were published",
     compare=("deliveries", "queues"),
     scenario=scenario("return-order", HOLD, producers=HOLD_PRODUCERS, consumers=HOLDERS,
                       faults=[fault("1s", "crash_consumer", "holder", 0), fault("1.5s", "crash_consumer", "holder", 1)]))

case(id="returned-in-original-order-classic-reversed", section="Acknowledgements",
     title="classic queue: the same channels closing in the other order leave the queue in the same, "
           "original order",
     compare=("deliveries", "queues"),
     scenario=scenario("return-order-rev", HOLD, producers=HOLD_PRODUCERS, consumers=HOLDERS,
                       faults=[fault("1s", "crash_consumer", "holder", 1), fault("1.5s", "crash_consumer", "holder", 0)]))


def ack_multiple(broker):
    """Three deliveries, one `basic.ack` with `multiple` for the third:
    all three are acknowledged."""
    ch = broker.admin
    ch.queue_delete("multi")
    ch.queue_declare("multi")
    for i in range(4):
        ch.basic_publish("", "multi", f"m{i}".encode())
    consumer_ch = broker.conn.channel()
    consumer_ch.basic_qos(prefetch_count=3)
    obs = Observation()
    tags = []

    def on_message(ch, method, props, body):
        broker.heard()
        obs.deliveries.setdefault("c#0", []).append(body.decode() + ("*" if method.redelivered else ""))
        tags.append(method.delivery_tag)

    consumer_ch.basic_consume("multi", on_message)
    broker.settle()
    consumer_ch.basic_ack(tags[2], multiple=True)
    broker.settle()
    consumer_ch.close()  # m3, delivered after the ack and not acked, goes back
    rabbit.read_queues(broker, None, obs, ["multi"])
    ch.queue_delete("multi")
    return obs


case(id="ack-multiple", section="Acknowledgements",
     title="`basic.ack` with `multiple` acknowledges every delivery up to its tag",
     compare=("deliveries", "queues"), broker_script=ack_multiple,
     not_modelled="a consumer acks each message on its own; there is no `multiple` flag (docs/semantics.md)")

QUORUM = {"x-queue-type": "quorum"}
QUORUM_ORDER = ("mqsim's queues put returned messages back at their original position, as classic queues do, "
                "also with a delivery_limit (docs/semantics.md, \"A queue with a delivery_limit returns messages "
                "like a classic queue\")")

case(id="returned-order-quorum", section="Acknowledgements",
     title="quorum queue: the unacked messages of two closed channels come back in the order they were returned",
     differs=QUORUM_ORDER,
     compare=("deliveries", "queues"), queue_args={"held": QUORUM},
     scenario=scenario("return-order-q", HOLD, producers=HOLD_PRODUCERS, consumers=HOLDERS,
                       faults=[fault("1s", "crash_consumer", "holder", 0), fault("1.5s", "crash_consumer", "holder", 1)]))

case(id="returned-order-quorum-reversed", section="Acknowledgements",
     title="quorum queue: the same channels closing in the other order: returned messages are served "
           "before the rest, in the order they came back",
     differs=QUORUM_ORDER,
     compare=("deliveries", "queues"), queue_args={"held": QUORUM},
     scenario=scenario("return-order-q-rev", HOLD, producers=HOLD_PRODUCERS, consumers=HOLDERS,
                       faults=[fault("1s", "crash_consumer", "holder", 1), fault("1.5s", "crash_consumer", "holder", 0)]))

# ------------------------------------------------------------ dead-lettering

case(id="dead-letter-reasons", section="Dead-lettering",
     title="each reason: `rejected` (reject without requeue), `delivery_limit` (quorum queue), "
           "`maxlen` (drop-head) and `expired` (TTL), in the order they happen",
     realtime=True, compare=("queues",),
     scenario=scenario("reasons", [q("q-rejected", dead_letter="dlq"), q("q-limit", delivery_limit=1, dead_letter="dlq"),
                                   q("q-maxlen", max_length=1, dead_letter="dlq"),
                                   q("q-expired", message_ttl="400ms", dead_letter="dlq"), q("dlq")],
                       duration="3s",
                       producers=[producer("to-rejected", 1, queue="q-rejected", poison_fraction=1),
                                  producer("to-limit", 1, start="300ms", queue="q-limit", poison_fraction=1),
                                  producer("to-maxlen", 2, start="900ms", rate=1 / 0.3, queue="q-maxlen"),
                                  producer("to-expired", 1, start="1500ms", queue="q-expired")],
                       consumers=[consumer("rejecter", "q-rejected", on_failure="dead_letter"),
                                  consumer("failer", "q-limit")]))


def dead_letter_exchange(broker):
    """A dead-letter exchange without a routing-key override routes a dead
    letter by the keys it was published with, and `x-death` records them."""
    ch = broker.admin
    for name in ("src", "dl.created", "dl.other"):
        ch.queue_delete(name)
    for name in ("in", "dlx"):
        ch.exchange_delete(name)
    ch.exchange_declare("in", "direct")
    ch.exchange_declare("dlx", "direct")
    ch.queue_declare("src", arguments={"x-dead-letter-exchange": "dlx"})
    ch.queue_declare("dl.created")
    ch.queue_declare("dl.other")
    ch.queue_bind("src", "in", "orders.created")
    ch.queue_bind("src", "in", "orders.other")
    ch.queue_bind("dl.created", "dlx", "orders.created")
    ch.queue_bind("dl.other", "dlx", "orders.other")
    ch.basic_publish("in", "orders.created", b"m0")
    ch.basic_publish("in", "orders.other", b"m1")
    obs = Observation()
    for _ in range(2):
        method, props, body = ch.basic_get("src")
        obs.deliveries.setdefault("c#0", []).append(body.decode())
        ch.basic_reject(method.delivery_tag, requeue=False)
    broker.settle()
    for name in ("dl.created", "dl.other"):
        method, props, body = ch.basic_get(name, auto_ack=True)
        keys = props.headers["x-death"][0]["routing-keys"]
        obs.queues[name] = [body.decode() + rabbit.death_note(props) + " keys=" + ",".join(keys)]
    for name in ("src", "dl.created", "dl.other"):
        ch.queue_delete(name)
    for name in ("in", "dlx"):
        ch.exchange_delete(name)
    return obs


case(id="dead-letter-exchange-original-keys", section="Dead-lettering",
     title="a dead-letter exchange without `x-dead-letter-routing-key` routes each dead letter by its original "
           "routing key, which `x-death` keeps",
     compare=("queues",), broker_script=dead_letter_exchange,
     not_modelled="a queue's `dead_letter` names the queue its dead letters go to (the default exchange with "
                  "that queue's name as routing key); dead-letter exchanges and original routing keys are not "
                  "modelled (docs/semantics.md)")


def x_death_count(broker):
    """A message rejected twice from the same queue (going round a retry
    queue with a TTL in between): `x-death` counts the deaths per (queue,
    reason) instead of listing them twice."""
    ch = broker.admin
    for name in ("work", "retry"):
        ch.queue_delete(name)
    ch.queue_declare("work", arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": "retry"})
    ch.queue_declare("retry", arguments={"x-message-ttl": 200, "x-dead-letter-exchange": "",
                                         "x-dead-letter-routing-key": "work"})
    ch.basic_publish("", "work", b"m0")
    obs = Observation()
    for attempt in range(2):
        deadline = time.monotonic() + 3
        while True:
            method, props, body = ch.basic_get("work")
            if method or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        obs.deliveries.setdefault("c#0", []).append(body.decode())
        ch.basic_reject(method.delivery_tag, requeue=False)
    broker.settle()
    method, props, body = ch.basic_get("retry", auto_ack=True)
    deaths = [f"{d['reason']}<{d['queue']}x{d['count']}" for d in props.headers["x-death"]]
    obs.queues["retry"] = [body.decode() + " x-death=" + ",".join(deaths)]
    for name in ("work", "retry"):
        ch.queue_delete(name)
    return obs


case(id="x-death-count", section="Dead-lettering",
     title="a message dead-lettered twice from the same queue for the same reason: `x-death` counts 2",
     compare=("queues",), broker_script=x_death_count,
     not_modelled="a dead letter records its latest reason and source queue only, not `x-death`'s counts per "
                  "(queue, reason) (docs/semantics.md)")

case(id="dead-letter-cycle-dropped", section="Dead-lettering",
     title="a message dead-lettered round a cycle of queues with no rejection on the way is dropped "
           "when it comes back to a queue it died in",
     realtime=True, compare=("queues",),
     scenario=scenario("dl-cycle", [q("q0", max_length=1, dead_letter="q1"),
                                    q("q1", message_ttl="400ms", dead_letter="q0")],
                       duration="2.5s",
                       producers=[producer("p", 3, queue="q0", rate=1 / 0.3)]))

# --------------------------------------------------------------------- TTL

case(id="ttl-per-queue", section="TTL",
     title="a queue's `x-message-ttl` dead-letters each message (reason `expired`) once it has waited that long",
     realtime=True, compare=("queues",),
     scenario=scenario("ttl-queue", [q("short", message_ttl="400ms", dead_letter="expired"), q("expired")],
                       duration="1.5s", producers=[producer("p", 2, queue="short", rate=5)]))

case(id="ttl-per-message", section="TTL",
     title="a message's own `expiration` discards it when it runs out (no dead-letter queue); "
           "messages without one stay",
     realtime=True, compare=("queues",),
     scenario=scenario("ttl-message", [q("mixed")], duration="1.5s",
                       producers=[producer("short-lived", 1, queue="mixed", ttl="400ms"),
                                  producer("forever", 1, start="100ms", queue="mixed")]))

case(id="ttl-expiry-only-at-head", section="TTL",
     title="a message with a short `expiration` behind one with a long one does not expire until it reaches "
           "the head: both are still counted in the queue",
     realtime=True, compare=("depths",),
     scenario=scenario("ttl-head", [q("line", dead_letter="line.dlq"), q("line.dlq")], duration="1.2s",
                       producers=[producer("long-lived", 1, queue="line", ttl="5s"),
                                  producer("short-lived", 1, start="100ms", queue="line", ttl="300ms")]))

case(id="ttl-expiry-while-delivered", section="TTL",
     title="a message whose TTL runs out while a consumer holds it is not expired then; rejected with requeue "
           "after its TTL, it is dead-lettered as `expired` instead of redelivered; one acked late is simply acked",
     realtime=True, compare=("deliveries", "queues"),
     scenario=scenario("ttl-delivered", [q("slow", message_ttl="400ms", dead_letter="slow.dlq"), q("slow.dlq")],
                       duration="2.2s",
                       producers=[producer("poison", 1, queue="slow", poison_fraction=1),
                                  producer("good", 1, start="100ms", queue="slow")],
                       consumers=[consumer("worker", "slow", service="800ms", prefetch=2)]))

# -------------------------------------------------------------- max-length

case(id="max-length-drop-head", section="Max-length",
     title="`x-max-length` with drop-head: the oldest ready messages are dead-lettered (reason `maxlen`)",
     scenario=scenario("drop-head", [q("capped", max_length=2, dead_letter="capped.dlq"), q("capped.dlq")],
                       producers=[producer("p", 4, queue="capped")]))

case(id="max-length-counts-ready-only", section="Max-length",
     title="max-length counts ready messages only: a message a consumer holds unacked does not take a place",
     compare=("deliveries", "queues"),
     scenario=scenario("ready-only", [q("capped1", max_length=1, dead_letter="capped1.dlq"), q("capped1.dlq")],
                       producers=[producer("p", 3, queue="capped1")],
                       consumers=[consumer("holder", "capped1", service="10s")]))

case(id="max-length-reject-publish", section="Max-length",
     title="`reject-publish`: a full queue refuses new messages and nacks them to a confirming publisher",
     compare=("queues", "confirms"),
     scenario=scenario("reject-publish", [q("full", max_length=2, overflow="reject_publish")],
                       producers=[producer("p", 4, queue="full", confirm=True)]))

case(id="max-length-reject-publish-dlx", section="Max-length",
     title="`reject-publish-dlx`: as reject-publish, and the refused messages are dead-lettered (reason `maxlen`)",
     compare=("queues", "confirms"), queue_args={"full-dlx": {"x-overflow": "reject-publish-dlx"}},
     scenario=scenario("reject-publish-dlx", [q("full-dlx", max_length=2, dead_letter="full-dlx.dlq"),
                                              q("full-dlx.dlq")],
                       producers=[producer("p", 4, queue="full-dlx", confirm=True)]),
     not_modelled="overflow modes are drop_head, reject_publish and block; reject-publish-dlx is not one "
                  "(docs/semantics.md)")

# ---------------------------------------------------------- quorum queues

case(id="quorum-delivery-limit", section="Quorum queues",
     title="`x-delivery-limit` 2: a message that always fails is delivered 3 times (`x-delivery-count` 0, 1, 2) "
           "and dead-lettered (reason `delivery_limit`) at the return that takes it above the limit",
     compare=("deliveries", "queues"),
     scenario=scenario("delivery-limit", [q("payments", delivery_limit=2, dead_letter="payments.dlq"),
                                          q("payments.dlq")], duration="200ms",
                       producers=[producer("poison", 1, queue="payments", poison_fraction=1),
                                  producer("good", 1, start="1ms", queue="payments")],
                       consumers=[consumer("worker", "payments")]))

case(id="quorum-reject-requeue", section="Quorum queues",
     title="quorum queue: a message rejected with requeue is redelivered, flagged, before the rest",
     differs=QUORUM_ORDER,
     compare=("deliveries", "queues"), queue_args={"work": QUORUM},
     scenario=scenario("requeue2-q", [q("work")], duration="95ms",
                       producers=[producer("poison", 1, queue="work", poison_fraction=1),
                                  producer("good", 4, start="1ms", rate=1000, queue="work")],
                       consumers=[consumer("fast", "work", service="10ms"),
                                  consumer("slow", "work", service="27ms")]))

case(id="quorum-closed-channel-counts", section="Quorum queues",
     title="quorum queue: does a closed channel's unacked message count towards `x-delivery-limit`? "
           "(limit 1, the holder's channel closes twice)",
     compare=("deliveries", "queues"),
     scenario=scenario("close-counts", [q("jobs", delivery_limit=1, dead_letter="jobs.dlq"), q("jobs.dlq")],
                       duration="3s", producers=[producer("p", 1, queue="jobs")],
                       consumers=[consumer("holder", "jobs", service="10s")],
                       faults=[fault("500ms", "crash_consumer", "holder"), fault("1s", "restart_consumer", "holder"),
                               fault("1.5s", "crash_consumer", "holder"), fault("2s", "restart_consumer", "holder")]))

# ----------------------------------------------------------------- prefetch

case(id="prefetch-round-robin", section="Prefetch",
     title="two consumers with prefetch 2: messages are dealt round-robin until both are full; "
           "the rest wait",
     compare=("deliveries", "queues"),
     scenario=scenario("deal", [q("tasks")], producers=[producer("p", 6, queue="tasks")],
                       consumers=[consumer("w", "tasks", service="10s", prefetch=2, count=2)]))

case(id="prefetch-faster-consumer-gets-more", section="Prefetch",
     title="with prefetch 1, a consumer that acks sooner is given the next message sooner, so it takes more",
     compare=("deliveries",),
     scenario=scenario("uneven", [q("tasks2")], duration="200ms",
                       producers=[producer("p", 8, queue="tasks2", rate=1000)],
                       consumers=[consumer("fast", "tasks2", service="10ms"),
                                  consumer("slow", "tasks2", service="37ms")]))

case(id="closed-channel-redelivers-to-other", section="Prefetch",
     title="when a consumer's channel closes, its unacked messages go back to the queue and another consumer "
           "gets them, flagged `redelivered`",
     compare=("deliveries", "queues"),
     scenario=scenario("close", [q("orders")], duration="1s",
                       producers=[producer("p", 5, queue="orders", rate=1000)],
                       consumers=[consumer("stuck", "orders", service="10s", prefetch=2),
                                  consumer("steady", "orders", service="30ms")],
                       faults=[fault("500ms", "crash_consumer", "stuck")]))

case(id="auto-ack-ignores-prefetch", section="Prefetch",
     title="with automatic acks prefetch does not apply: one consumer is pushed everything, "
           "and a closed channel loses it",
     compare=("deliveries", "queues"),
     scenario=scenario("auto", [q("firehose")], duration="1s",
                       producers=[producer("p", 5, queue="firehose", rate=1000)],
                       consumers=[consumer("greedy", "firehose", service="10s", ack="auto")],
                       faults=[fault("500ms", "crash_consumer", "greedy")]))

# ---------------------------------------------------------------- confirms

case(id="confirms-routed-and-unroutable", section="Publisher confirms",
     title="publisher confirms: the broker acks every message, including one no queue takes "
           "(non-mandatory) and persistent ones in a durable queue",
     compare=("queues", "confirms"),
     scenario=scenario("confirms", [q("known")],
                       exchanges=[exchange("x.c", "direct", [to_queue("known", "known")])],
                       producers=[producer("p", 3, exchange="x.c", routing_keys=["known", "nowhere", "known"],
                                           confirm=True, persistent=True)]))

case(id="confirms-return-before-ack", section="Publisher confirms",
     title="a mandatory unroutable message: `basic.return` first, then the confirm (an ack)",
     compare=("returned", "confirms"),
     scenario=scenario("return-ack", [q("known")],
                       exchanges=[exchange("x.r", "direct", [to_queue("known", "known")])],
                       producers=[producer("p", 2, exchange="x.r", routing_keys=["known", "nowhere"],
                                           confirm=True, mandatory=True)]))
