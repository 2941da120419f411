//! Producers: arrival processes that publish messages into a queue.

use super::{Event, Sim};
use super::ArrivalProcess;
use crate::scenario::{Scenario, ScenarioError};
use crate::time::SimTime;

/// Where a producer's messages go. Each family adds its own destinations
/// (an exchange with a routing key, a Kafka topic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Straight into a queue (AMQP's default exchange routes by queue name).
    Queue(u32),
    /// An AMQP exchange, which routes by the producer's routing keys and
    /// headers (see `amqp::Publisher`).
    Exchange(u32),
}

/// A producer's run-time state.
pub struct Producer {
    pub target: Target,
    /// When its messages arrive.
    arrivals: ArrivalProcess,
    start: SimTime,
    stop: SimTime,
    remaining: u64,
    keys: u32,
    next_key: u32,
    poison_fraction: f64,
    pub sent: u64,
}

impl Producer {
    /// When the first message arrives, if ever.
    pub(crate) fn first_arrival(&mut self) -> Option<SimTime> {
        self.arrivals.first(self.start).filter(|&t| t < self.stop)
    }

    pub(crate) fn build_all(scenario: &Scenario) -> Result<Vec<Producer>, ScenarioError> {
        scenario
            .producers
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let target = match (&spec.queue, &spec.exchange) {
                    (Some(queue), _) => Target::Queue(scenario.queue_index(queue, &format!("producers[{i}].queue"))?),
                    (None, Some(x)) => Target::Exchange(scenario.exchange_index(x, &format!("producers[{i}].exchange"))?),
                    (None, None) => return Err(ScenarioError::invalid(format!("producers[{i}]"), "needs a destination")),
                };
                Ok(Producer {
                    target,
                    arrivals: ArrivalProcess::new(&spec.arrivals, scenario.duration.0),
                    start: spec.start.0,
                    stop: spec.stop.map_or(SimTime::MAX, |d| d.0),
                    remaining: spec.count.unwrap_or(u64::MAX),
                    keys: spec.keys,
                    next_key: 0,
                    poison_fraction: spec.poison_fraction,
                    sent: 0,
                })
            })
            .collect()
    }
}

impl Sim {
    /// A producer emits one message, publishes it, and schedules its next.
    ///
    /// The first message goes out at the producer's start time and each later
    /// one a sampled gap after the previous, so a constant rate r over a window
    /// of d seconds sends exactly r·d messages.
    pub(super) fn arrive(&mut self, p: u32) {
        if self.ledger.produced() >= self.scenario.max_messages {
            self.stats.budget_reached = true;
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
            key
        };
        let target = producer.target;
        let poison_fraction = producer.poison_fraction;
        let next = producer.arrivals.next(now, &mut self.rng);
        let poison = self.rng.chance(poison_fraction);
        let slot = self.new_message(p, key, poison);
        self.publish(p, target, slot);
        let producer = &self.producers[p as usize];
        if let Some(next) = next.filter(|&t| producer.remaining > 0 && t < producer.stop) {
            self.sched.at(next, Event::Arrive { producer: p });
        }
    }

    /// The message reaches the broker, which stores it at `target`.
    fn publish(&mut self, p: u32, target: Target, slot: crate::message::Slot) {
        match target {
            Target::Queue(_) | Target::Exchange(_) => self.amqp_publish(p, target, slot),
        }
    }
}
