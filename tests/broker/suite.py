"""The differential suite: every case runs against the real broker (RabbitMQ,
or nats-server for the NATS cases) and in mqsim, and the two observations
are compared.

    python tests/broker/suite.py --port 5672 --nats-port 4222 --mqsim target/debug/mqsim \
        [--write docs/broker-agreement.md] [CASE...]

A case passes when both sides agree, or when they differ in the way the case
documents (a difference named in docs/semantics.md), or when mqsim does not
model it and the case says why. An undocumented difference fails, and so
does a documented difference that has gone away (the docs would then be
wrong). The report goes to stdout and, with --write, to the agreement
document.
"""

import argparse
import sys
import time
import traceback

import rabbit
import mqsim_side
import nats_side
from cases import CASES
import nats_cases  # noqa: F401  (adds the NATS cases to CASES)


def run_case(case, broker, nats, mqsim):
    """(broker observation, mqsim observation or None, verdict, ok)."""
    if case.broker == "nats":
        theirs = nats_side.play(nats, case.scenario, realtime=case.realtime)
    elif case.broker_script:
        theirs = case.broker_script(broker)
    else:
        rabbit.declare(broker, case.scenario, case.queue_args, case.extra)
        try:
            theirs = rabbit.play(broker, case.scenario, realtime=case.realtime)
        finally:
            rabbit.teardown(broker, case.scenario, case.extra_queues)
    if case.not_modelled:
        return theirs, None, f"not modelled: {case.not_modelled}", True
    events, end = mqsim_side.run(mqsim, case.scenario)
    ours = mqsim_side.observe(events, end)
    same = all(theirs.facet(f) == ours.facet(f) for f in case.compare)
    if same and not case.differs:
        return theirs, ours, "agree", True
    if same:
        return theirs, ours, "AGREE, but the case documents a difference: update the case and docs/semantics.md", False
    if case.differs:
        return theirs, ours, f"differ, documented: {case.differs}", True
    return theirs, ours, "DIFFER, undocumented", False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True, help="the RabbitMQ node's AMQP port")
    parser.add_argument("--nats-port", type=int, required=True, help="the nats-server's client port")
    parser.add_argument("--mqsim", required=True)
    parser.add_argument("--write", help="write the agreement table to this Markdown file")
    parser.add_argument("cases", nargs="*", help="run only these cases (by id)")
    args = parser.parse_args()

    broker = rabbit.Broker(args.port)
    version = broker.conn._impl.server_properties.get("version", b"?")
    version = version.decode() if isinstance(version, bytes) else str(version)
    selected = [c for c in CASES if not args.cases or c.id in args.cases]
    unknown = set(args.cases) - {c.id for c in CASES}
    if unknown:
        sys.exit(f"no such case: {', '.join(sorted(unknown))}")
    nats = nats_side.Server(args.nats_port)
    versions = {"rabbitmq": version, "nats": nats.version}
    rows = []
    failures = 0
    started = time.monotonic()
    for case in selected:
        t0 = time.monotonic()
        try:
            theirs, ours, verdict, ok = run_case(case, broker, nats, args.mqsim)
        except Exception as e:  # a case that cannot run is a failure, with its reason
            traceback.print_exc()
            theirs, ours, verdict, ok = None, None, f"ERROR: {type(e).__name__}: {e}", False
            if case.broker == "nats":
                nats.close()
                nats = nats_side.Server(args.nats_port)
            else:
                broker.close()
                broker = rabbit.Broker(args.port)
        failures += not ok
        mark = "ok  " if ok else "FAIL"
        print(f"{mark} {case.id} ({time.monotonic() - t0:.1f} s): {verdict}")
        if not ok or args.cases:
            if theirs is not None:
                print(f"       {BROKER_NAMES[case.broker] + ':':9} {theirs.render(case.compare)}")
            if ours is not None:
                print(f"       mqsim:    {ours.render(case.compare)}")
        rows.append((case, theirs, ours, verdict, ok))
    broker.close()
    nats.close()
    print(f"{len(selected) - failures} passed, {failures} failed ({time.monotonic() - started:.0f} s, "
          f"RabbitMQ {version}, nats-server {nats.version})")
    if args.write:
        with open(args.write, "w") as f:
            f.write(document(rows, versions))
    sys.exit(1 if failures else 0)


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


BROKER_NAMES = {"rabbitmq": "RabbitMQ", "nats": "NATS"}


def document(rows, versions):
    lines = [
        "# mqsim against a real RabbitMQ and NATS",
        "",
        "Written by the broker differential suite (`tests/broker/`); do not edit by hand.",
        "Regenerate it with `bash tests/broker/run.sh --write` (it starts a private",
        "RabbitMQ node and a private nats-server; `bash scripts/setup.sh --broker`",
        "installs both). Each case is a small mqsim scenario played on the broker",
        "(through pika, or nats-py for the NATS cases) and run in mqsim; both runs are",
        "reduced to the same observation: each consumer's deliveries in order (`*` =",
        "delivered with `redelivered` set, or with a JetStream delivery count above 1),",
        "each queue's contents at the end, head first (a dead letter as `m0 rejected<orders`:",
        "its latest `x-death` reason and queue, `x2` when it died there twice), the",
        "returned messages and the confirms. Messages are named by publish order, `m0`",
        "first. Where the two differ on purpose, `docs/semantics.md` says why.",
        "",
        f"Brokers: RabbitMQ {versions['rabbitmq']} (Debian's `rabbitmq-server`); "
        f"nats-server {versions['nats']} with JetStream (Debian's `nats-server`).",
    ]
    section = None
    for case, theirs, ours, verdict, ok in rows:
        if case.section != section:
            section = case.section
            lines += ["", f"## {section}", ""]
            if case.broker == "nats":
                lines += NATS_INTRO
            lines += [f"| case | {BROKER_NAMES[case.broker]} | mqsim | verdict |", "| --- | --- | --- | --- |"]
        broker_text = theirs.render(case.compare) if theirs else "—"
        mqsim_text = ours.render(case.compare) if ours else "—"
        lines.append(f"| `{case.id}`: {cell(case.title)} | {cell(broker_text)} | {cell(mqsim_text)} | {cell(verdict)} |")
    lines += ["", NOT_COMPARED]
    return "\n".join(lines).rstrip() + "\n"


NATS_INTRO = [
    "mqsim's NATS model (`tests/broker/nats_side.py`): an `exclusive` queue is a core",
    "subscription (it exists only while its subscriber is connected), a durable queue is a",
    "JetStream durable push consumer with explicit acks (`max_ack_pending` = prefetch × instances,",
    "`ack_wait` = the consumer's `ack_timeout`, `max_deliver` = `delivery_limit` + 1), a",
    "consumer group of several instances is a queue group, a fanout exchange is a subject. A",
    "depth is what the durable consumer has not delivered yet (`num_pending`); a core",
    "subscription stores nothing. A group's line counts each message's deliveries to the",
    "group as a whole.",
    "",
]


NOT_COMPARED = """## Not compared

- **NATS**, beyond the cases above: subject wildcards (`*`, `>`) and request-reply; JetStream
  pull consumers, ack policies other than explicit, `nak` with a delay, `term`, `in_progress`,
  `backoff`, stream limits and retention policies, for which mqsim has no model.
- **Redis Streams** (XADD, XREADGROUP, XACK, XPENDING, XCLAIM): mqsim models a pending entries list
  only as an ack timeout; it has no per-consumer pending list, no claim by a chosen consumer and no
  stream of acknowledged entries, so there is no matching model to compare.

`tests/broker/README.md` says more about both.
"""


if __name__ == "__main__":
    main()
