"""mqsim's side of a case: run the scenario with `mqsim run --format events`
and reduce its journal to an `Observation`."""

import json
import subprocess
import tempfile

from observe import Observation, dead_letter_note


def run(mqsim, scenario):
    """Runs `scenario` (a dict) with the mqsim binary; returns its events and
    its end line."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(scenario, f)
        f.flush()
        done = subprocess.run([mqsim, "run", f.name, "--format", "events"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"mqsim refused the scenario of {scenario['name']}: {done.stderr.strip()}")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line]
    return lines[:-1], lines[-1]


def observe(events, end):
    """The journal of a run, as an `Observation`."""
    # Originals, in creation order, are m0, m1, ...; a copy is named after
    # its original (`origin`).
    originals = sorted({e["msg"] for e in events if "origin" not in e and is_message_event(e)})
    name_of = {msg: f"m{i}" for i, msg in enumerate(originals)}

    def name(msg, origin=None):
        return name_of.get(origin if origin is not None else msg, f"?{msg}")

    obs = Observation()
    delivered_before = set()
    for e in events:
        kind, at = e["kind"], e.get("at", {})
        label = name(e["msg"], e.get("origin"))
        if kind == "delivered":
            consumer = f"{at['consumer']}#{at['instance']}"
            # The engine's own flag when the journal carries it; otherwise the
            # same rule: the message was delivered before.
            redelivered = e.get("redelivered", e["msg"] in delivered_before)
            delivered_before.add(e["msg"])
            obs.deliveries.setdefault(consumer, []).append(label + ("*" if redelivered else ""))
        elif kind == "replayed":
            delivered_before.discard(e["msg"])
        elif kind == "returned":
            obs.returned.append(label)
            if obs.confirms.get(label) == "ack":
                obs.confirms[label] = "ack+returned"
        elif kind == "confirmed":
            obs.confirms[label] = "returned+ack" if label in obs.returned else "ack"
        elif kind == "publish_nacked":
            obs.confirms[label] = "nack"
    for queue in end["queues"]:
        ready = []
        for m in queue["ready"]:
            text = name(m["msg"], m["origin"] if m["origin"] != m["msg"] else None)
            if "dead_reason" in m:
                text += dead_letter_note(m["dead_reason"], m["dead_from"])
            ready.append(text)
        obs.queues[queue["name"]] = ready
        obs.depths[queue["name"]] = len(ready)
    return obs


# Journal kinds that are about a message (not about a consumer or the broker).
NODE_KINDS = {"consumer_crashed", "consumer_restarted", "consumer_started", "consumer_stopped",
              "broker_crashed", "broker_restarted"}


def is_message_event(e):
    return e["kind"] not in NODE_KINDS
