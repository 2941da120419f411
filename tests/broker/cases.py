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
     title="with two consumers, a requeued message goes to the next consumer with credit, flagged, "
           "before the rest of the queue",
     compare=("deliveries", "queues"),
     scenario=scenario("requeue2", [q("work")], duration="95ms",
                       producers=[producer("poison", 1, queue="work", poison_fraction=1),
                                  producer("good", 4, start="1ms", rate=1000, queue="work")],
                       consumers=[consumer("fast", "work", service="10ms"),
                                  consumer("slow", "work", service="23ms")]))

case(id="reject-without-requeue", section="Acknowledgements",
     title="a message rejected without requeue is dead-lettered with reason `rejected`, "
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
     title="classic queue: the unacked messages of two closed channels go back to their original places "
           "(the second channel's after the first's), flagged `redelivered` when delivered again",
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
     not_modelled="a consumer acks each message on its own; there is no `multiple` flag")
