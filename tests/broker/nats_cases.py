"""The NATS cases (issue J, "Beyond RabbitMQ"): core subjects vs a JetStream
durable consumer, delivery order, queue groups, redelivery after
`ack_wait`, and `max_deliver`. Each is a small mqsim scenario that
nats_side.py plays on a private nats-server, in mqsim's NATS model: an
`exclusive` queue is a core subscription, a durable queue is a JetStream
durable consumer, a consumer group of several instances is a queue group.
"""

from cases import case, consumer, exchange, fault, producer, q, scenario, to_queue

SECTION = "NATS"

# One subject (the fanout exchange `events`) with a core subscriber and a
# JetStream durable consumer on it, as in the nats-core-vs-durable preset.
PUBSUB_QUEUES = [q("core.sub", exclusive=True), q("durable.sub")]
PUBSUB_EXCHANGES = [exchange("events", "fanout", [to_queue("core.sub"), to_queue("durable.sub")])]

case(id="nats-core-misses-while-away", section=SECTION, broker="nats",
     title="both subscribers are away while m2 and m3 are published: the core subscriber misses them; the "
           "JetStream durable consumer (explicit acks) is given them when it is back",
     compare=("deliveries", "depths"),
     scenario=scenario("nats-away", PUBSUB_QUEUES, exchanges=PUBSUB_EXCHANGES, duration="1s",
                       producers=[producer("publisher", 6, exchange="events", rate=10)],
                       consumers=[consumer("core", "core.sub", ack="auto"), consumer("durable", "durable.sub")],
                       faults=[fault("150ms", "crash_consumer", "core"), fault("150ms", "crash_consumer", "durable"),
                               fault("350ms", "restart_consumer", "core"),
                               fault("350ms", "restart_consumer", "durable")]))

case(id="nats-order-one-subscriber", section=SECTION, broker="nats",
     title="one subscriber is given a subject's messages in publish order: a core subscriber, and a JetStream "
           "durable consumer with 3 unacked at most while the rest wait in the stream",
     compare=("deliveries", "depths"),
     scenario=scenario("nats-order", PUBSUB_QUEUES, exchanges=PUBSUB_EXCHANGES, duration="200ms",
                       producers=[producer("publisher", 10, exchange="events", rate=1000)],
                       consumers=[consumer("core", "core.sub", service="5ms", ack="auto"),
                                  consumer("durable", "durable.sub", service="5ms", prefetch=3)]))

GROUP_NOTE = ("which member gets which is not compared: nats-server picks one at random, mqsim deals them in "
              "turn (docs/semantics.md)")

case(id="nats-queue-group-core", section=SECTION, broker="nats",
     title="a core queue group of 3 members: each of 12 messages goes to exactly one member "
           "(" + GROUP_NOTE + ")",
     compare=("groups", "depths"),
     scenario=scenario("nats-group-core", [q("work", exclusive=True)], duration="500ms",
                       producers=[producer("publisher", 12, queue="work", rate=1000)],
                       consumers=[consumer("member", "work", ack="auto", count=3)]))

case(id="nats-queue-group-durable", section=SECTION, broker="nats",
     title="a JetStream durable consumer with a deliver group of 3 members, explicit acks: each of 12 messages "
           "goes to exactly one member and is acked once (" + GROUP_NOTE + ")",
     compare=("groups", "depths"),
     scenario=scenario("nats-group-durable", [q("jobs")], duration="500ms",
                       producers=[producer("publisher", 12, queue="jobs", rate=1000)],
                       consumers=[consumer("member", "jobs", prefetch=2, count=3)]))

# A durable consumer holds m0 and m1 unacked when its subscriber goes away
# (at 150 ms); m2 and m3 are published while it is away; it is back at
# 600 ms. mqsim returns the unacked messages when the subscriber goes, as a
# RabbitMQ channel does; JetStream keeps them as pending until `ack_wait`
# (mqsim's `ack_timeout`) has passed since they were delivered.
AWAY_PRODUCERS = [producer("first", 2, queue="jobs", rate=20), producer("later", 2, start="250ms", queue="jobs",
                                                                         rate=20)]
AWAY_FAULTS = [fault("150ms", "crash_consumer", "holder"), fault("600ms", "restart_consumer", "holder")]

case(id="nats-unacked-redelivered-after-ack-wait", section=SECTION, broker="nats",
     title="a durable consumer's subscriber goes away holding m0 and m1 unacked (`ack_wait` 1.5 s = mqsim's "
           "`ack_timeout`) and is back at 0.6 s: they are redelivered, flagged (delivery count 2), before m2 and m3 "
           "(nats-server once `ack_wait` has run out, mqsim at 0.6 s: see the next case)",
     realtime=True, compare=("deliveries", "depths"),
     scenario=scenario("nats-ack-wait", [q("jobs")], duration="3s", producers=AWAY_PRODUCERS,
                       consumers=[consumer("holder", "jobs", service="300ms", prefetch=2, ack_timeout="1.5s")],
                       faults=AWAY_FAULTS))

case(id="nats-unacked-held-until-ack-wait", section=SECTION, broker="nats",
     title="the same with `ack_wait` 3 s, seen at 1.5 s: JetStream gives the returning subscriber nothing before "
           "`ack_wait` runs out (m0 and m1 still count against `max_ack_pending`); mqsim has redelivered them and "
           "gone on",
     realtime=True, compare=("deliveries",),
     differs="mqsim takes a subscriber's unacked messages back when it goes away, as a RabbitMQ channel does, "
             "not when `ack_wait` runs out (docs/semantics.md, \"Where mqsim differs from NATS\")",
     scenario=scenario("nats-ack-wait-held", [q("jobs")], duration="1.5s", producers=AWAY_PRODUCERS,
                       consumers=[consumer("holder", "jobs", service="300ms", prefetch=2, ack_timeout="3s")],
                       faults=AWAY_FAULTS))

case(id="nats-max-deliver", section=SECTION, broker="nats",
     title="`max_deliver` 3 = mqsim's `delivery_limit` 2: a message that is always nak'ed is delivered 3 times, "
           "then not again, and the next is delivered (nats-server keeps it in the stream; mqsim, with no "
           "`dead_letter`, discards it: docs/semantics.md)",
     compare=("deliveries", "depths"),
     scenario=scenario("nats-max-deliver", [q("payments", delivery_limit=2)], duration="200ms",
                       producers=[producer("poison", 1, queue="payments", poison_fraction=1),
                                  producer("good", 1, start="1ms", queue="payments")],
                       consumers=[consumer("worker", "payments")]))
