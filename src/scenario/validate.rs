//! Range and reference checks that the type system cannot express.
//!
//! Reading (`json::read`) already rejects unknown fields and wrong types (with
//! their paths); here every remaining rule is checked in document order so
//! that the first error reported is the first one a reader would meet in the
//! file.

use std::collections::HashSet;

use super::{Arrivals, ConsumerSpec, FaultAction, ProducerSpec, QueueSpec, Scenario, ScenarioError};
use crate::json::Num;
use crate::kernel::Dist;
use crate::time::{Duration, NANOS_PER_MILLI};

/// The highest arrival rate accepted, per second. Above it the integer
/// nanosecond clock cannot space arrivals apart.
pub const MAX_RATE: f64 = 1e9;
/// The most consumer instances in one scenario.
pub const MAX_INSTANCES: u32 = 10_000;
/// The largest prefetch accepted (RabbitMQ's own limit is 65,535).
pub const MAX_PREFETCH: u32 = 65_535;

type Check = Result<(), ScenarioError>;

pub(super) fn fail(path: impl Into<String>, message: impl Into<String>) -> Check {
    Err(ScenarioError::invalid(path, message))
}

impl Scenario {
    /// Checks every rule; the first broken one is the error.
    pub fn validate(&self) -> Check {
        if self.name.trim().is_empty() {
            return fail("name", "must not be empty");
        }
        if self.duration.0 == 0 {
            return fail("duration", "must be above 0s");
        }
        if self.sample_every.0 < NANOS_PER_MILLI {
            return fail("sample_every", "must be at least 1ms");
        }
        if self.duration.0 / self.sample_every.0 > 1_000_000 {
            return fail("sample_every", "gives more than 1,000,000 samples over the duration; choose a longer interval");
        }
        if self.max_messages == 0 {
            return fail("max_messages", "must be at least 1");
        }
        if self.queues.is_empty() && self.topics.is_empty() {
            return fail("queues", "needs at least one queue (or a topic in `topics`)");
        }
        if self.producers.is_empty() && self.requests.is_empty() {
            return fail("producers", "needs at least one producer (or a request flow in `requests`)");
        }
        unique_names(self.queues.iter().map(|q| q.name.as_str()), "queues")?;
        unique_names(self.exchanges.iter().map(|x| x.name.as_str()), "exchanges")?;
        unique_names(self.producers.iter().map(|p| p.name.as_str()), "producers")?;
        unique_names(self.consumers.iter().map(|c| c.name.as_str()), "consumers")?;
        unique_names(self.services.iter().map(|s| s.name.as_str()), "services")?;
        unique_names(self.requests.iter().map(|r| r.name.as_str()), "requests")?;
        unique_names(self.topics.iter().map(|t| t.name.as_str()), "topics")?;
        self.check_cluster()?;
        self.check_topics()?;
        for (i, queue) in self.queues.iter().enumerate() {
            self.check_queue(queue, &format!("queues[{i}]"))?;
            self.check_queue_amqp(queue, &format!("queues[{i}]"))?;
        }
        self.check_exchanges()?;
        for (i, producer) in self.producers.iter().enumerate() {
            self.check_producer(producer, &format!("producers[{i}]"))?;
        }
        for (i, producer) in self.producers.iter().enumerate() {
            check_shape(&producer.arrivals, self.duration, &format!("producers[{i}].arrivals"))?;
        }
        for (i, request) in self.requests.iter().enumerate() {
            check_shape(&request.arrivals, self.duration, &format!("requests[{i}].arrivals"))?;
        }
        let instances: u64 =
            self.consumers.iter().map(|c| u64::from(c.autoscale.map_or(c.count, |a| a.max.max(c.count)))).sum();
        if instances > u64::from(MAX_INSTANCES) {
            return fail("consumers", format!("has {instances} instances in all; at most {MAX_INSTANCES} are allowed"));
        }
        for (i, consumer) in self.consumers.iter().enumerate() {
            self.check_consumer(consumer, &format!("consumers[{i}]"))?;
        }
        for (i, service) in self.services.iter().enumerate() {
            let path = format!("services[{i}]");
            check_dist(&service.latency, &format!("{path}.latency"))?;
            if let Some(capacity) = &service.capacity {
                check_rate(capacity.rate, &format!("{path}.capacity.rate"))?;
                if capacity.burst == 0 {
                    return fail(format!("{path}.capacity.burst"), "must be at least 1");
                }
            }
            for (o, outage) in service.outages.iter().enumerate() {
                if outage.to <= outage.from {
                    return fail(format!("{path}.outages[{o}].to"), format!("must be after `from` ({}), got {}", outage.from, outage.to));
                }
            }
        }
        for (i, request) in self.requests.iter().enumerate() {
            self.check_request(request, &format!("requests[{i}]"))?;
        }
        let expected = self.expected_messages();
        if expected > self.max_messages as f64 {
            return fail(
                "max_messages",
                format!(
                    "the producers would produce about {} messages in {}, more than max_messages ({}); raise max_messages or shorten the run",
                    whole(expected),
                    self.duration,
                    self.max_messages
                ),
            );
        }
        for (i, fault) in self.faults.iter().enumerate() {
            let path = format!("faults[{i}].action");
            let (variant, target) = match &fault.action {
                FaultAction::CrashConsumer(target) => ("crash_consumer", target),
                FaultAction::RestartConsumer(target) => ("restart_consumer", target),
                FaultAction::CrashRequestHandler { flow, down_for } => {
                    if !self.requests.iter().any(|r| r.name == *flow) {
                        return fail(
                            format!("{path}.crash_request_handler.flow"),
                            format!("no request flow is named \"{flow}\"; {}", known(self.requests.iter().map(|r| &r.name))),
                        );
                    }
                    if down_for.0 == 0 {
                        return fail(format!("{path}.crash_request_handler.down_for"), "must be above 0s");
                    }
                    continue;
                }
                other => {
                    self.check_fault_amqp(other, &path)?;
                    self.check_kafka_fault(other, &path)?;
                    continue;
                }
            };
            let Some(consumer) = self.consumers.iter().find(|c| c.name == target.consumer) else {
                return fail(
                    format!("{path}.{variant}.consumer"),
                    format!("no consumer is named \"{}\"; {}", target.consumer, known(self.consumers.iter().map(|c| &c.name))),
                );
            };
            if target.instance >= consumer.count {
                return fail(
                    format!("{path}.{variant}.instance"),
                    format!("consumer \"{}\" has instances 0 to {}, not {}", consumer.name, consumer.count - 1, target.instance),
                );
            }
        }
        Ok(())
    }

    /// How many messages (ledger copies) the run creates on average: each
    /// producer's expected arrivals over its active window, capped by its
    /// count, plus what the request flows publish.
    pub fn expected_messages(&self) -> f64 {
        self.producers
            .iter()
            .map(|p| {
                let end = p.stop.map_or(self.duration.0, |stop| stop.0.min(self.duration.0));
                let process = p.arrivals.process(self.duration.0);
                process.expected(p.start.0, end).min(p.count.map_or(f64::INFINITY, |c| c as f64))
            })
            .sum::<f64>()
            + self
                .requests
                .iter()
                .map(|r| {
                    let end = r.stop.map_or(self.duration.0, |stop| stop.0.min(self.duration.0));
                    let copies: usize = r
                        .steps
                        .iter()
                        .map(|step| match step {
                            super::system::Step::Publish { queues, .. } | super::system::Step::Outbox { queues } => queues.len(),
                            _ => 0,
                        })
                        .sum();
                    r.arrivals.process(self.duration.0).expected(r.start.0, end) * copies as f64
                })
                .sum::<f64>()
    }

    /// The index of the queue called `name`, or an error at `path` listing the queues.
    pub fn queue_index(&self, name: &str, path: &str) -> Result<u32, ScenarioError> {
        self.queues.iter().position(|q| q.name == name).map(|i| i as u32).ok_or_else(|| {
            ScenarioError::invalid(path, format!("no queue is named \"{name}\"; {}", known(self.queues.iter().map(|q| &q.name))))
        })
    }

    /// The index of the service called `name`, or an error at `path` listing the services.
    pub fn service_index(&self, name: &str, path: &str) -> Result<u32, ScenarioError> {
        self.services.iter().position(|s| s.name == name).map(|i| i as u32).ok_or_else(|| {
            ScenarioError::invalid(path, format!("no service is named \"{name}\"; {}", known(self.services.iter().map(|s| &s.name))))
        })
    }

    fn check_request(&self, request: &super::system::RequestSpec, path: &str) -> Check {
        check_arrivals(&request.arrivals, &format!("{path}.arrivals"))?;
        if let Some(stop) = request.stop {
            if stop <= request.start {
                return fail(format!("{path}.stop"), format!("must be after start ({}), got {stop}", request.start));
            }
        }
        if request.outbox_relay.is_some_and(|relay| relay.every.0 == 0) {
            return fail(format!("{path}.outbox_relay.every"), "must be above 0s");
        }
        if request.steps.is_empty() {
            return fail(format!("{path}.steps"), "needs at least one step");
        }
        for (s, step) in request.steps.iter().enumerate() {
            let at = format!("{path}.steps[{s}]");
            match step {
                super::system::Step::Local(dist) => check_dist(dist, &format!("{at}.local"))?,
                super::system::Step::Call(name) => {
                    self.service_index(name, &format!("{at}.call"))?;
                }
                super::system::Step::Limit(limit) => {
                    check_rate(limit.rate, &format!("{at}.limit.rate"))?;
                    if limit.burst == 0 {
                        return fail(format!("{at}.limit.burst"), "must be at least 1");
                    }
                }
                super::system::Step::Outbox { queues } => {
                    self.check_queue_list(queues, &format!("{at}.outbox.queues"))?;
                    if request.outbox_relay.is_none() {
                        return fail(format!("{path}.outbox_relay"), "is needed to publish the `outbox` step's rows, e.g. {\"every\": \"100ms\"}");
                    }
                }
                super::system::Step::Publish { queues, latency } => {
                    self.check_queue_list(queues, &format!("{at}.publish.queues"))?;
                    check_dist(latency, &format!("{at}.publish.latency"))?;
                }
            }
        }
        Ok(())
    }

    fn check_queue_list_or_empty(&self, queues: &[String], path: &str) -> Check {
        if queues.is_empty() { Ok(()) } else { self.check_queue_list(queues, path) }
    }

    fn check_queue_list(&self, queues: &[String], path: &str) -> Check {
        if queues.is_empty() {
            return fail(path, "needs at least one queue");
        }
        for (q, queue) in queues.iter().enumerate() {
            self.queue_index(queue, &format!("{path}[{q}]"))?;
        }
        Ok(())
    }

    fn check_queue(&self, queue: &QueueSpec, path: &str) -> Check {
        if queue.max_length == Some(0) {
            return fail(format!("{path}.max_length"), "must be at least 1 (omit it for an unbounded queue)");
        }
        if queue.delivery_limit == Some(0) {
            return fail(format!("{path}.delivery_limit"), "must be at least 1 (omit it to retry forever)");
        }
        if let Some(target) = &queue.dead_letter {
            self.queue_index(target, &format!("{path}.dead_letter"))?;
            if *target == queue.name {
                return fail(format!("{path}.dead_letter"), "a queue cannot be its own dead-letter queue");
            }
        }
        Ok(())
    }

    fn check_producer(&self, producer: &ProducerSpec, path: &str) -> Check {
        let destinations = [producer.queue.is_some(), producer.exchange.is_some(), producer.topic.is_some()];
        if destinations.iter().filter(|&&d| d).count() != 1 {
            return fail(path, "needs exactly one destination: `queue`, `exchange` or `topic`");
        }
        if producer.first_key > 0 && producer.keys == 0 {
            return fail(format!("{path}.first_key"), "needs `keys` of at least 1 (an unkeyed producer has no keys to start from)");
        }
        if producer.first_key.checked_add(producer.keys).is_none() {
            return fail(format!("{path}.first_key"), format!("first_key + keys must be at most {}", u32::MAX));
        }
        match &producer.topic {
            Some(topic) => {
                self.check_topic_producer(producer, topic, path)?;
                let queue_family_only = [
                    ("routing_key", producer.routing_key.is_some()),
                    ("routing_keys", producer.routing_keys.is_some()),
                    ("headers", producer.headers.is_some()),
                    ("mandatory", producer.mandatory),
                    ("persistent", producer.persistent),
                    ("confirm", producer.confirm),
                    ("ttl", producer.ttl.is_some()),
                    ("delay", producer.delay.is_some()),
                    ("reply", producer.reply.is_some()),
                ];
                if let Some((field, _)) = queue_family_only.iter().find(|(_, set)| *set) {
                    return fail(format!("{path}.{field}"), "applies to producers with a `queue` or `exchange`, not a `topic`");
                }
            }
            None => {
                self.check_producer_amqp(producer, path)?;
                if producer.kafka.is_some() {
                    return fail(format!("{path}.kafka"), "applies to producers with a `topic`, not a `queue` or `exchange`");
                }
            }
        }
        check_arrivals(&producer.arrivals, &format!("{path}.arrivals"))?;
        if let Some(stop) = producer.stop {
            if stop <= producer.start {
                return fail(format!("{path}.stop"), format!("must be after start ({}), got {stop}", producer.start));
            }
        }
        let p = producer.poison_fraction;
        if !(0.0..=1.0).contains(&p) {
            return fail(format!("{path}.poison_fraction"), format!("must be a fraction from 0 to 1, got {}", Num(p)));
        }
        if producer.count == Some(0) {
            return fail(format!("{path}.count"), "must be at least 1 (omit it for no limit)");
        }
        Ok(())
    }

    fn check_consumer(&self, consumer: &ConsumerSpec, path: &str) -> Check {
        match (&consumer.queue, &consumer.topic) {
            (Some(queue), None) => {
                self.queue_index(queue, &format!("{path}.queue"))?;
                if consumer.kafka.is_some() {
                    return fail(format!("{path}.kafka"), "applies to consumers with a `topic`, not a `queue`");
                }
            }
            (None, Some(topic)) => self.check_topic_consumer(consumer, topic, path)?,
            _ => return fail(path, "needs exactly one of `queue` and `topic`"),
        }
        if consumer.count == 0 {
            return fail(format!("{path}.count"), "must be at least 1");
        }
        check_dist(&consumer.service, &format!("{path}.service"))?;
        if consumer.prefetch == 0 || consumer.prefetch > MAX_PREFETCH {
            return fail(
                format!("{path}.prefetch"),
                format!("must be from 1 to {MAX_PREFETCH}, got {} (mqsim has no unlimited prefetch)", consumer.prefetch),
            );
        }
        if let Some(emits) = &consumer.emits {
            self.check_queue_list_or_empty(&emits.publish, &format!("{path}.emits.publish"))?;
            self.check_queue_list_or_empty(&emits.on_decline, &format!("{path}.emits.on_decline"))?;
            let p = emits.decline_probability;
            if !(0.0..=1.0).contains(&p) {
                return fail(format!("{path}.emits.decline_probability"), format!("must be a probability from 0 to 1, got {}", Num(p)));
            }
        }
        if let Some(scale) = &consumer.autoscale {
            let at = format!("{path}.autoscale");
            if consumer.topic.is_some() {
                // A topic group's members all exist from the start; the
                // autoscaler runs between `initial_members` and `max` of them.
                if scale.max > consumer.count {
                    return fail(
                        format!("{at}.max"),
                        format!("a topic consumer group scales among its `count` members ({}), got max {}", consumer.count, scale.max),
                    );
                }
            } else if scale.max < consumer.count {
                return fail(format!("{at}.max"), format!("must be at least the group's count ({}), got {}", consumer.count, scale.max));
            }
            if scale.scale_down_below >= scale.scale_up_above {
                return fail(
                    format!("{at}.scale_down_below"),
                    format!("must be below scale_up_above ({}), got {}", scale.scale_up_above, scale.scale_down_below),
                );
            }
            if scale.check_every.0 == 0 {
                return fail(format!("{at}.check_every"), "must be above 0s");
            }
        }
        if let Some(limit) = &consumer.rate_limit {
            check_rate(limit.rate, &format!("{path}.rate_limit.rate"))?;
            if limit.burst == 0 {
                return fail(format!("{path}.rate_limit.burst"), "must be at least 1");
            }
        }
        if let Some(service) = &consumer.calls {
            self.service_index(service, &format!("{path}.calls"))?;
        }
        let p = consumer.failure_probability;
        if !(0.0..=1.0).contains(&p) {
            return fail(format!("{path}.failure_probability"), format!("must be a probability from 0 to 1, got {}", Num(p)));
        }
        self.check_consumer_amqp(consumer, path)
    }
}

/// A shaped rate's own rules; other arrival kinds have none beyond their rate.
fn check_shape(arrivals: &Arrivals, run: Duration, path: &str) -> Check {
    match arrivals {
        Arrivals::Shaped { rate, .. } => {
            // A CSV's errors name its line, so the path goes down to the text.
            let csv = if matches!(rate, crate::kernel::profile::RateShape::ReplayCsv(_)) { ".replay_csv" } else { "" };
            rate.check(run.0).map_err(|message| ScenarioError::invalid(format!("{path}.shaped.rate{csv}"), message))
        }
        _ => Ok(()),
    }
}

fn check_arrivals(arrivals: &Arrivals, path: &str) -> Check {
    match arrivals {
        Arrivals::Shaped { .. } => Ok(()),
        Arrivals::Constant { rate } => check_rate(*rate, &format!("{path}.constant.rate")),
        Arrivals::Poisson { rate } => check_rate(*rate, &format!("{path}.poisson.rate")),
        Arrivals::Every(dist) => {
            check_dist(dist, &format!("{path}.every"))?;
            if dist.mean() < 1.0 {
                return fail(format!("{path}.every"), "gaps must average at least 1ns");
            }
            Ok(())
        }
    }
}

/// `{:.0}` of a count that is at least 0: rounded half to even, as `{:.0}`
/// rounds the exact value (an f64 at or above 2^53 is a whole number, so
/// below 2^127 it converts exactly).
fn whole(x: f64) -> String {
    if x.is_finite() && (0.0..1.7e38).contains(&x) { (x.round_ties_even() as i128).to_string() } else { Num(x).to_string() }
}

fn check_rate(rate: f64, path: &str) -> Check {
    if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE) {
        return fail(path, format!("must be a rate above 0 and at most 1e9 messages per second, got {}", Num(rate)));
    }
    Ok(())
}

fn check_dist(dist: &Dist, path: &str) -> Check {
    dist.check().map_err(|message| ScenarioError::invalid(path, message))?;
    // A distribution whose samples could reach the end of simulated time would
    // let one event overflow the clock.
    let limit = Duration(365 * 86_400 * crate::time::NANOS_PER_SEC);
    if dist.mean() > limit.0 as f64 {
        return fail(path, format!("has a mean above {limit}, longer than any run"));
    }
    Ok(())
}

fn unique_names<'a>(names: impl Iterator<Item = &'a str>, list: &str) -> Check {
    let mut seen = HashSet::new();
    for (i, name) in names.enumerate() {
        if name.trim().is_empty() {
            return fail(format!("{list}[{i}].name"), "must not be empty");
        }
        if !seen.insert(name) {
            return fail(format!("{list}[{i}].name"), format!("\"{name}\" is used twice; names must be unique"));
        }
    }
    Ok(())
}

pub(super) fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<_> = names.map(|n| format!("\"{n}\"")).collect();
    if names.is_empty() { "there are none".to_string() } else { format!("known: {}", names.join(", ")) }
}

#[cfg(test)]
mod tests {
    /// `whole` writes what `{:.0}` writes for a count.
    #[test]
    fn whole_writes_what_precision_zero_writes() {
        let mut values = vec![0.0, 0.4, 0.5, 0.6, 1.5, 2.5, 3.5, 1e6 + 0.5, 9007199254740993.0, 2f64.powi(60), 1e22, 1.5e38, f64::INFINITY, f64::NAN];
        values.extend((0..10_000).map(|i| i as f64 * 0.25 + 1e5));
        for x in values {
            assert_eq!(super::whole(x), format!("{x:.0}"));
        }
    }
}
