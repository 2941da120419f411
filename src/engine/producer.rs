//! Producers: arrival processes that publish messages into a queue.

use super::{Event, Sim};
use crate::kernel::ArrivalProcess;
use crate::kernel::SimRng;
use crate::scenario::{Scenario, ScenarioError, Target};
use crate::time::SimTime;

/// A producer's run-time state.
pub struct Producer {
    pub target: Target,
    /// When its messages arrive.
    arrivals: ArrivalProcess,
    start: SimTime,
    stop: SimTime,
    remaining: u64,
    keys: u32,
    first_key: u32,
    next_key: u32,
    poison_fraction: f64,
    non_critical_fraction: f64,
    pub sent: u64,
    /// Bumped when a live rate change reschedules the producer, so that an
    /// arrival scheduled before it is ignored (see `engine::control`).
    pub(crate) epoch: u32,
}

impl Producer {
    /// It has sent its last message: its stop time has come, or its count
    /// is used up. (A rate set to 0 live only pauses it.)
    pub fn finished(&self, now: SimTime) -> bool {
        now >= self.stop || self.remaining == 0
    }

    /// A live command changed its rate (its arrivals were retimed).
    pub fn rate_changed(&self) -> bool {
        self.epoch != 0
    }

    /// When the first message arrives, if ever.
    pub(crate) fn first_arrival(&mut self) -> Option<SimTime> {
        self.arrivals.first(self.start).filter(|&t| t < self.stop)
    }

    pub(crate) fn build_all(scenario: &Scenario) -> Result<Vec<Producer>, ScenarioError> {
        let mut topic_producers = 0;
        scenario
            .producers
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let target = match (&spec.queue, &spec.exchange) {
                    (Some(queue), _) => Target::Queue(scenario.queue_index(queue, &format!("producers[{i}].queue"))?),
                    (None, Some(x)) => Target::Exchange(scenario.exchange_index(x, &format!("producers[{i}].exchange"))?),
                    (None, None) => {
                        topic_producers += 1;
                        Target::Topic(topic_producers - 1)
                    }
                };
                Ok(Producer {
                    target,
                    arrivals: spec.arrivals.process(scenario.duration.0),
                    start: spec.start.0,
                    stop: spec.stop.map_or(SimTime::MAX, |d| d.0),
                    remaining: spec.count.unwrap_or(u64::MAX),
                    keys: spec.keys,
                    first_key: spec.first_key,
                    next_key: 0,
                    poison_fraction: spec.poison_fraction,
                    non_critical_fraction: spec.non_critical_fraction,
                    sent: 0,
                    epoch: 0,
                })
            })
            .collect()
    }

    /// A live rate change at `now`: from now on arrivals follow `arrivals`
    /// (none pauses the producer). Any arrival already scheduled becomes
    /// stale; returns when the next one is due, if one will come.
    pub(crate) fn retime(&mut self, arrivals: Option<ArrivalProcess>, now: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        self.epoch = self.epoch.wrapping_add(1);
        let mut arrivals = arrivals?;
        let next = if now < self.start { arrivals.first(self.start) } else { arrivals.next(now, rng) };
        self.arrivals = arrivals;
        next.filter(|&t| self.remaining > 0 && t < self.stop)
    }
}

impl Sim {
    /// A producer emits one message, publishes it, and schedules its next.
    ///
    /// The first message goes out at the producer's start time and each later
    /// one a sampled gap after the previous, so a constant rate r over a window
    /// of d seconds sends exactly r·d messages.
    #[inline(never)]
    pub(super) fn arrive(&mut self, p: u32, epoch: u32) {
        if epoch != self.producers[p as usize].epoch {
            return; // Scheduled before a live rate change.
        }
        if self.cx.ledger.produced() >= self.scenario.max_messages {
            self.cx.stats.budget_reached = true;
            return;
        }
        let now = self.now();
        let producer = &mut self.producers[p as usize];
        if now >= producer.stop || producer.remaining == 0 {
            return;
        }
        producer.remaining -= 1;
        producer.sent += 1;
        let key = if producer.keys == 0 {
            0
        } else {
            let key = producer.next_key;
            producer.next_key = (key + 1) % producer.keys;
            producer.first_key + key
        };
        let target = producer.target;
        let poison_fraction = producer.poison_fraction;
        let next = producer.arrivals.next(now, &mut self.cx.rng);
        let poison = self.cx.rng.chance(poison_fraction);
        let non_critical_fraction = self.producers[p as usize].non_critical_fraction;
        let non_critical = self.cx.rng.chance(non_critical_fraction);
        let slot = self.cx.new_message(p, key, poison);
        self.cx.store.get_mut(slot).non_critical = non_critical;
        self.publish(p, target, slot);
        let producer = &self.producers[p as usize];
        if let Some(next) = next.filter(|&t| producer.remaining > 0 && t < producer.stop) {
            self.cx.sched.at(next, Event::Arrive { producer: p, epoch: producer.epoch });
        }
    }

    /// The message reaches the broker, which stores it at `target`.
    fn publish(&mut self, p: u32, target: Target, slot: crate::message::Slot) {
        match target {
            Target::Queue(_) | Target::Exchange(_) => self.amqp.amqp_publish(&mut self.cx, &mut self.system, p, slot),
            Target::Topic(producer) => self.kafka.kafka_publish(&mut self.cx, producer, slot),
        }
    }
}
