"""What a case compares, and how it is written in docs/broker-agreement.md.

Both sides of a case (the broker driven by pika, and mqsim's journal) are
reduced to the same `Observation`: the deliveries each consumer got in order
(with `redelivered`), what every queue holds at the end in order (with the
dead-letter reason and source queue), the messages returned to their
publisher, and the confirms. Messages are named by publish order (`m0`,
`m1`, ...), which both sides share: mqsim numbers originals in creation
order and gives a fan-out copy its original's `origin`; the broker driver
publishes in the same order with the name as the body.
"""

from dataclasses import dataclass, field

FACETS = ("deliveries", "groups", "queues", "depths", "returned", "confirms")


@dataclass
class Observation:
    # consumer label ("worker#0") -> ["m0", "m0*", ...]; `*` = redelivered
    deliveries: dict = field(default_factory=dict)
    # queue name -> ["m1", "m0 rejected<orders", ...], head first
    queues: dict = field(default_factory=dict)
    # queue name -> ready messages at the end, counted without reading them
    depths: dict = field(default_factory=dict)
    returned: list = field(default_factory=list)
    # message -> "ack" | "nack" | "returned+ack" (basic.return, then the confirm)
    confirms: dict = field(default_factory=dict)

    def facet(self, name):
        if name == "groups":
            return self.groups()
        value = getattr(self, name)
        if name == "deliveries":
            return {k: v for k, v in value.items() if v}
        if name in ("queues", "depths"):
            return {k: v for k, v in value.items() if v}
        return value

    def groups(self):
        """Per consumer group (the instances `w#0`, `w#1`, ... together): the
        messages it was given, and each one's number of deliveries. This is
        what a queue group promises (every message to exactly one member)
        without saying which member: NATS picks one at random."""
        counts = {}
        for label, ms in self.deliveries.items():
            per = counts.setdefault(label.rsplit("#", 1)[0], {})
            for m in ms:
                m = m.rstrip("*")
                per[m] = per.get(m, 0) + 1
        return {g: sorted(per.items(), key=lambda kv: int(kv[0][1:])) for g, per in counts.items() if per}

    def render(self, facets):
        parts = []
        for name in facets:
            parts.append(render_facet(name, self.facet(name)))
        return "; ".join(parts)


def render_facet(name, value):
    if name == "deliveries":
        if not value:
            return "no deliveries"
        return "delivered " + ", ".join(f"{c}: {' '.join(ms)}" for c, ms in sorted(value.items()))
    if name == "groups":
        if not value:
            return "no deliveries"
        parts = []
        for g, per in sorted(value.items()):
            once = [m for m, n in per if n == 1]
            more = [f"{m} x{n}" for m, n in per if n != 1]
            text = f"group {g}: {len(per)} messages"
            if once:
                text += f", each once: {span(once)}" if not more else f", once: {span(once)}"
            if more:
                text += ", more than once: " + " ".join(more)
            parts.append(text)
        return "; ".join(parts)
    if name == "queues":
        if not value:
            return "every queue empty"
        return "queued " + ", ".join(f"{q}: {' '.join(ms)}" for q, ms in sorted(value.items()))
    if name == "depths":
        if not value:
            return "every queue empty"
        return "depth " + ", ".join(f"{q} {n}" for q, n in sorted(value.items()))
    if name == "returned":
        return "returned " + (" ".join(value) if value else "none")
    if name == "confirms":
        if not value:
            return "no confirms"
        groups = {}
        for m, v in value.items():
            groups.setdefault(v, []).append(m)
        words = {"ack": "acked", "nack": "nacked", "returned+ack": "returned then acked",
                 "ack+returned": "acked then returned"}
        return "confirms: " + ", ".join(f"{words.get(v, v)} {' '.join(ms)}" for v, ms in sorted(groups.items()))
    raise ValueError(name)


def span(names):
    """`m0-m11` for a run of consecutive messages, else the names."""
    numbers = [int(m[1:]) for m in names]
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"m{numbers[0]}-m{numbers[-1]}"
    return " ".join(names)


def dead_letter_note(reason, queue, count=1):
    """How a dead letter is written: `m0 rejected<orders` (x2 when the
    broker's `x-death` count says it died there twice)."""
    note = f" {reason}<{queue}"
    if count and count > 1:
        note += f"x{count}"
    return note
