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

FACETS = ("deliveries", "queues", "depths", "returned", "confirms")


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
        value = getattr(self, name)
        if name == "deliveries":
            return {k: v for k, v in value.items() if v}
        if name in ("queues", "depths"):
            return {k: v for k, v in value.items() if v}
        return value

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


def dead_letter_note(reason, queue, count=1):
    """How a dead letter is written: `m0 rejected<orders` (x2 when the
    broker's `x-death` count says it died there twice)."""
    note = f" {reason}<{queue}"
    if count and count > 1:
        note += f"x{count}"
    return note
