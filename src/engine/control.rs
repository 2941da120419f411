//! Live control: what a person does to a running simulation — change a
//! producer's rate, scale a consumer group, change prefetch, crash or restart
//! an instance, take a service down or bring it up — and the messages they
//! choose to follow.
//!
//! A command is applied at a simulated instant, never at a wall-clock one,
//! and every command applied is logged with its time. A command at time `t`
//! runs after every event due at `t`, so replaying a scenario and seed with
//! the same log of `(t, command)` gives the same run, event for event:
//!
//! ```
//! use mqsim::engine::{Command, Sim};
//! use mqsim::scenario::presets;
//!
//! let mut live = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
//! live.run_until(2_000_000_000);
//! live.command(Command::from_json(r#"{"set_consumers": {"consumer": "order-writer", "count": 3}}"#).unwrap()).unwrap();
//! live.run_to_end();
//!
//! let mut replay = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
//! replay.schedule_commands(&live.command_log()).unwrap();
//! replay.run_to_end();
//! assert_eq!(live.trace_hash(), replay.trace_hash());
//! ```
//!
//! Live and replayed commands take one path: `command` queues the command at
//! the current instant and runs the engine up to that instant, which applies
//! it exactly where a replay would (`step` and `run_until` apply pending
//! commands between events).
//!
//! Each command is folded into the trace hash, so a run's hash identifies its
//! interventions too. Watching a message only records; it never changes a run.
//!
//! Commands name consumer groups of either family: `set_consumers`,
//! `crash_consumer`, `restart_consumer` and `slow_consumer` act on a queue
//! consumer or a Kafka group member, whichever the name is.
//!
//! To add a command: a variant of `Command` (in `scenario/command.rs`), its
//! checks in `Sim::check_command`, its resolved form and effect in the
//! owning family's file of `engine/cmd/` (where scenario faults resolve and
//! apply too), and its code in `trace_word`.

use std::collections::VecDeque;

use serde::Serialize;

use super::cmd::{Action, AmqpAction, KafkaAction, SystemAction};
use super::{Event, Sim, Target};
use crate::scenario::command::{Command, ControlError, TimedCommand, fail};
use crate::json::Num;
use crate::kernel::Dist;
use crate::ledger::MsgState;
use crate::observe::LifeEvent;
use crate::scenario::{Acks, Arrivals, Process};
use crate::scenario::kafka::MAX_PARTITIONS;
use crate::time::{Duration, SimTime, as_millis_f64};

/// The highest rate a command may set, per second (the scenario's own limit).
pub const MAX_RATE: f64 = 1e9;
/// The most consumer instances a scenario may have (the scenario's own limit).
pub const MAX_INSTANCES: usize = 10_000;
/// The largest prefetch (the scenario's own limit).
pub const MAX_PREFETCH: u32 = 65_535;
/// A consumer group of either family.
enum AnyGroup {
    Queue(u32),
    Kafka(u32),
}

/// The live-control state of a simulation (the watched messages are in
/// the context, `Ctx::watch`: recording feeds them).
#[derive(Default)]
pub(crate) struct Control {
    /// Commands waiting for their instant, in time order (ties in the order given).
    pending: VecDeque<TimedCommand>,
    /// Commands applied, in order.
    applied: Vec<TimedCommand>,
    /// Live outages in progress: the service and its callers busy when it went down.
    pub(super) outages: Vec<(u32, Vec<super::cmd::Busy>)>,
}

impl Control {
    /// Some command waits for its instant.
    #[inline]
    pub(crate) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// A live message as it is now.
#[derive(Clone, Debug, Serialize)]
pub struct MessageView {
    pub id: u64,
    /// The producer that sent it (none for a request flow's message).
    pub producer: Option<String>,
    pub key: u32,
    pub born_ms: f64,
    pub deliveries: u32,
    pub state: MsgState,
    /// The queue that holds it, or last held it.
    pub queue: String,
    pub poison: bool,
    /// Its place in the queue's ready list (0 is the head), when it is there.
    pub position: Option<u64>,
    /// The consumer instance holding it ("worker#0"), when one is.
    pub holder: Option<String>,
}

/// What is known about one message: its state now (while it is live) and
/// the events recorded since it was first watched.
#[derive(Clone, Debug, Serialize)]
pub struct MessageLife {
    pub id: u64,
    pub watched: bool,
    pub live: Option<MessageView>,
    pub events: Vec<LifeEvent>,
}

/// Whether a producer's arrivals are random (Poisson) rather than evenly spaced.
fn is_random(arrivals: &Arrivals) -> bool {
    match arrivals {
        Arrivals::Constant { .. } => false,
        Arrivals::Poisson { .. } => true,
        Arrivals::Every(dist) => !matches!(dist, Dist::Constant(_)),
        Arrivals::Shaped { process, .. } => *process == Process::Poisson,
    }
}

impl Sim {
    /// Applies `command` now, after every event due now. Fails, changing
    /// nothing, if it names something that does not exist or a value out of range.
    pub fn command(&mut self, command: Command) -> Result<(), ControlError> {
        let resolved = self.check_command(&command)?;
        if let Action::Amqp(AmqpAction::Crash { group, instance }) | Action::Amqp(AmqpAction::Restart { group, instance }) = resolved {
            let count = self.amqp.consumers.iter().filter(|c| c.group == group).count() as u32;
            if instance >= count {
                let path = format!("{}.instance", command.name());
                return fail(path, format!("the consumer has instances 0 to {}, not {instance}", count - 1));
            }
        }
        let now = self.now();
        self.insert_pending(TimedCommand { at: Duration(now), command });
        self.run_until(now);
        Ok(())
    }

    /// Schedules a log of commands to apply at their times (a replay). Every
    /// one is checked first; a command before the current time is refused.
    /// An instance that does not exist when its command comes is skipped.
    pub fn schedule_commands(&mut self, log: &[TimedCommand]) -> Result<(), ControlError> {
        for (i, timed) in log.iter().enumerate() {
            self.check_command(&timed.command).map_err(|e| ControlError {
                path: if e.path.is_empty() { format!("[{i}].command") } else { format!("[{i}].command.{}", e.path) },
                message: e.message,
            })?;
            if timed.at.0 < self.now() {
                return fail(format!("[{i}].at"), format!("{} is before the current time", timed.at));
            }
        }
        for timed in log {
            self.insert_pending(timed.clone());
        }
        Ok(())
    }

    /// The run's log of live actions: the commands applied, then those still
    /// pending, in time order. Replaying it reproduces the run.
    pub fn command_log(&self) -> Vec<TimedCommand> {
        self.control.applied.iter().chain(&self.control.pending).cloned().collect()
    }

    /// How many commands of the log have been applied.
    pub fn commands_applied(&self) -> usize {
        self.control.applied.len()
    }

    fn insert_pending(&mut self, timed: TimedCommand) {
        let at = self.control.pending.partition_point(|p| p.at <= timed.at);
        self.control.pending.insert(at, timed);
    }

    /// The next instant anything happens: an event or a pending command.
    pub(crate) fn next_instant(&self) -> Option<SimTime> {
        let command = self.control.pending.front().map(|c| c.at.0);
        match (self.cx.sched.peek_time(), command) {
            (Some(event), Some(command)) => Some(event.min(command)),
            (event, command) => event.or(command),
        }
    }

    /// Applies the next pending command if it is due by the end of the run
    /// and no event comes at or before it. Returns whether it did.
    pub(crate) fn apply_due_command(&mut self) -> bool {
        let Some(at) = self.control.pending.front().map(|c| c.at.0) else { return false };
        if at > self.end() || self.cx.sched.peek_time().is_some_and(|t| t <= at) {
            return false;
        }
        self.cx.sched.advance_to(at);
        let timed = self.control.pending.pop_front().expect("checked above");
        if let Ok(resolved) = self.check_command(&timed.command) {
            // Marked first, so that the engine's markers it causes point to it.
            self.mark_action(&timed.command);
            self.apply_command(resolved);
            self.cx.markers.applying = None;
        }
        self.control.applied.push(timed);
        true
    }

    /// Resolves names to indices and checks ranges.
    fn check_command(&self, command: &Command) -> Result<Action, ControlError> {
        let variant = command.name();
        let kafka = &self.kafka;
        let any_group = |name: &str| {
            if let Some(g) = self.amqp.groups.iter().position(|g| g.name == name) {
                return Ok(AnyGroup::Queue(g as u32));
            }
            if let Some(g) = kafka.groups.iter().position(|g| g.name == name) {
                return Ok(AnyGroup::Kafka(g as u32));
            }
            let names = self.amqp.groups.iter().map(|g| &g.name).chain(kafka.groups.iter().map(|g| &g.name));
            fail(format!("{variant}.consumer"), format!("no consumer is named \"{name}\"; {}", known(names)))
        };
        let queue_group = |name: &str| match any_group(name)? {
            AnyGroup::Queue(g) => Ok(g),
            AnyGroup::Kafka(_) => fail(
                format!("{variant}.consumer"),
                format!("\"{name}\" reads a Kafka topic; {variant} applies to queue consumers (prefetch is an AMQP setting)"),
            ),
        };
        let kafka_group = |name: &str| match any_group(name)? {
            AnyGroup::Kafka(g) => Ok(g),
            AnyGroup::Queue(_) => fail(
                format!("{variant}.consumer"),
                format!("\"{name}\" reads a queue; {variant} applies to Kafka consumer groups"),
            ),
        };
        // A Kafka group has the members its scenario declared (and those added live).
        let member = |g: u32, instance: u32| {
            let members = &kafka.groups[g as usize].members;
            match members.get(instance as usize) {
                Some(&m) => Ok(m),
                None => fail(
                    format!("{variant}.instance"),
                    format!("consumer group \"{}\" has instances 0 to {}, got {instance}", kafka.groups[g as usize].name, members.len() - 1),
                ),
            }
        };
        let service = |name: &str| match self.system.services.iter().position(|s| s.name == name) {
            Some(s) => Ok(s as u32),
            None => fail(
                format!("{variant}.service"),
                format!("no service is named \"{name}\"; {}", known(self.system.services.iter().map(|s| &s.name))),
            ),
        };
        let broker = |b: u32| {
            if kafka.topics.is_empty() {
                fail(format!("{variant}.broker"), "this scenario has no Kafka topics, so no Kafka brokers")
            } else if (b as usize) < kafka.brokers.len() {
                Ok(b)
            } else {
                fail(format!("{variant}.broker"), format!("brokers are numbered 0 to {}, got {b}", kafka.brokers.len() - 1))
            }
        };
        Ok(match command {
            Command::SetRate { producer, rate } => {
                let p = self.producer_named(variant, producer)?;
                if !(rate.is_finite() && *rate >= 0.0 && *rate <= MAX_RATE) {
                    return fail("set_rate.rate", format!("must be a rate from 0 to 1e9 messages per second, got {}", Num(*rate)));
                }
                Action::SetRate { producer: p, rate: *rate }
            }
            Command::SetConsumers { consumer, count } => {
                let (instances, resolved) = match any_group(consumer)? {
                    AnyGroup::Queue(g) => (
                        self.amqp.consumers.iter().filter(|c| c.group != g).count(),
                        Action::Amqp(AmqpAction::SetConsumers { group: g, count: *count }),
                    ),
                    AnyGroup::Kafka(g) => (
                        kafka.members.iter().filter(|m| m.group != g).count(),
                        Action::Kafka(KafkaAction::Members { group: g, count: *count }),
                    ),
                };
                if instances + *count as usize > MAX_INSTANCES {
                    return fail(
                        "set_consumers.count",
                        format!("would make more than {MAX_INSTANCES} consumer instances in all, got {count}"),
                    );
                }
                resolved
            }
            Command::SetPrefetch { consumer, prefetch } => {
                let g = queue_group(consumer)?;
                if *prefetch == 0 || *prefetch > MAX_PREFETCH {
                    return fail("set_prefetch.prefetch", format!("must be from 1 to {MAX_PREFETCH}, got {prefetch}"));
                }
                Action::Amqp(AmqpAction::SetPrefetch { group: g, prefetch: *prefetch })
            }
            Command::CrashConsumer(target) => match any_group(&target.consumer)? {
                AnyGroup::Queue(g) => Action::Amqp(AmqpAction::Crash { group: g, instance: target.instance }),
                AnyGroup::Kafka(g) => Action::Kafka(KafkaAction::Crash { member: member(g, target.instance)? }),
            },
            Command::RestartConsumer(target) => match any_group(&target.consumer)? {
                AnyGroup::Queue(g) => Action::Amqp(AmqpAction::Restart { group: g, instance: target.instance }),
                AnyGroup::Kafka(g) => Action::Kafka(KafkaAction::Restart { member: member(g, target.instance)? }),
            },
            Command::ServiceDown { service: name } => Action::System(SystemAction::ServiceDown { service: service(name)? }),
            Command::ServiceUp { service: name } => Action::System(SystemAction::ServiceUp { service: service(name)? }),
            Command::SlowConsumer { consumer, instance, factor } => {
                if !(factor.is_finite() && *factor >= 1.0 && *factor <= 1_000.0) {
                    return fail("slow_consumer.factor", format!("must be a number from 1 (normal speed) to 1000, got {}", Num(*factor)));
                }
                match any_group(consumer)? {
                    AnyGroup::Queue(g) => Action::Amqp(AmqpAction::Slow { group: g, instance: *instance, factor: *factor }),
                    AnyGroup::Kafka(g) => Action::Kafka(KafkaAction::Slow { member: member(g, *instance)?, factor: *factor }),
                }
            }
            Command::CrashBroker { broker: b } => Action::Kafka(KafkaAction::CrashBroker { broker: broker(*b)? }),
            Command::RestartBroker { broker: b } => Action::Kafka(KafkaAction::RestartBroker { broker: broker(*b)? }),
            Command::AddPartitions { topic, partitions } => {
                let Some(t) = kafka.topics.iter().position(|t| &t.name == topic) else {
                    return fail(
                        "add_partitions.topic",
                        format!("no topic is named \"{topic}\"; {}", known(kafka.topics.iter().map(|t| &t.name))),
                    );
                };
                let now = kafka.topics[t].partitions.len() as u32;
                if *partitions <= now || *partitions > MAX_PARTITIONS {
                    return fail(
                        "add_partitions.partitions",
                        format!(
                            "must be above the topic's {now} partition(s) and at most {MAX_PARTITIONS}, got {partitions} (Kafka cannot remove partitions)"
                        ),
                    );
                }
                Action::Kafka(KafkaAction::AddPartitions { topic: t as u32, partitions: *partitions })
            }
            Command::SetAcks { producer, acks } => {
                let p = self.producer_named(variant, producer)?;
                let Target::Topic(kp) = self.producers[p as usize].target else {
                    return fail("set_acks.producer", format!("\"{producer}\" does not write to a Kafka topic; acks is a Kafka producer setting"));
                };
                // Kafka refuses `enable.idempotence` without acks=all.
                if kafka.producers[kp as usize].idempotent && *acks != Acks::All {
                    return fail(
                        "set_acks.acks",
                        format!("\"{producer}\" is an idempotent producer, which needs acks=all (Kafka refuses enable.idempotence with acks 0 or 1)"),
                    );
                }
                Action::Kafka(KafkaAction::SetAcks { producer: kp, acks: *acks })
            }
            Command::SetCommit { consumer, commit } => Action::Kafka(KafkaAction::SetCommit { group: kafka_group(consumer)?, commit: *commit }),
        })
    }

    /// The index of the producer named `name`.
    fn producer_named(&self, variant: &str, name: &str) -> Result<u32, ControlError> {
        match self.scenario.producers.iter().position(|p| p.name == name) {
            Some(p) => Ok(p as u32),
            None => fail(
                format!("{variant}.producer"),
                format!("no producer is named \"{name}\"; {}", known(self.scenario.producers.iter().map(|p| &p.name))),
            ),
        }
    }

    /// Applies a checked command at the current instant: folds it into the
    /// trace hash (so a run's hash identifies its interventions), then its
    /// family applies it.
    fn apply_command(&mut self, action: Action) {
        let (code, target, value) = trace_word(&action);
        self.cx.trace.mix(self.now());
        self.cx.trace.mix((0xC0 << 56) | (code << 32) | u64::from(target));
        self.cx.trace.mix(value);
        self.apply_action(action);
    }

    pub(super)     fn set_rate(&mut self, p: u32, rate: f64) {
        let now = self.now();
        let spec = &self.scenario.producers[p as usize];
        let arrivals = (rate > 0.0).then(|| {
            let arrivals = if is_random(&spec.arrivals) { Arrivals::Poisson { rate } } else { Arrivals::Constant { rate } };
            arrivals.process(self.scenario.duration.0)
        });
        let producer = &mut self.producers[p as usize];
        if let Some(next) = producer.retime(arrivals, now, &mut self.cx.rng) {
            let epoch = producer.epoch;
            self.cx.sched.at(next, Event::Arrive { producer: p, epoch });
        }
    }

    /// Starts recording the events of message `id` (one that exists now or
    /// one not yet produced). At most `WATCH_MESSAGES` are watched at once.
    pub fn watch_message(&mut self, id: u64) {
        self.cx.watch.add(id);
    }

    /// What is known about message `id`: its state now if it is live, and the
    /// events recorded since it was watched.
    pub fn message_life(&self, id: u64) -> MessageLife {
        let events = self.cx.watch.events(id);
        MessageLife {
            id,
            watched: events.is_some(),
            live: self.message_view(id),
            events: events.map(<[LifeEvent]>::to_vec).unwrap_or_default(),
        }
    }

    fn message_view(&self, id: u64) -> Option<MessageView> {
        let message = self.cx.store.find_live(id)?;
        let queue = &self.amqp.queues[message.queue as usize];
        let position = queue.ready.iter().position(|&slot| self.cx.store.get(slot).id == id).map(|p| p as u64);
        let holder = self.amqp.consumers.iter().find(|c| c.held.iter().any(|h| self.cx.store.get(h.slot).id == id));
        Some(MessageView {
            id,
            producer: self.scenario.producers.get(message.producer as usize).map(|p| p.name.clone()),
            key: message.key,
            born_ms: as_millis_f64(message.born),
            deliveries: message.deliveries,
            state: message.state,
            queue: queue.name.clone(),
            poison: message.poison,
            position,
            holder: holder.map(|c| format!("{}#{}", self.amqp.groups[c.group as usize].name, c.instance)),
        })
    }

    /// Journal events lost because nobody drained the journal in time (the
    /// page then draws flows in aggregate).
    pub fn journal_overwritten(&self) -> u64 {
        self.cx.journal.overwritten()
    }
}

/// What a live command folds into the trace hash: a code per kind, the
/// index it acts on and its value. The codes are those the hash has always
/// used, so runs with commands hash as they did. Faults are not folded in
/// (the scenario already is), so the actions only faults make have none.
fn trace_word(action: &Action) -> (u64, u32, u64) {
    match *action {
        Action::SetRate { producer, rate } => (1, producer, rate.to_bits()),
        Action::Amqp(ref a) => match *a {
            AmqpAction::SetConsumers { group, count } => (2, group, u64::from(count)),
            AmqpAction::SetPrefetch { group, prefetch } => (3, group, u64::from(prefetch)),
            AmqpAction::Crash { group, instance } => (4, group, u64::from(instance)),
            AmqpAction::Restart { group, instance } => (5, group, u64::from(instance)),
            AmqpAction::Slow { group, instance, factor } => (8, group, u64::from(instance) ^ factor.to_bits()),
            // Only faults do these, and faults are not folded in.
            AmqpAction::CrashBroker | AmqpAction::RestartBroker | AmqpAction::ReplayDeadLetters { .. } => (0, 0, 0),
        },
        Action::System(a) => match a {
            SystemAction::ServiceDown { service } => (6, service, 0),
            SystemAction::ServiceUp { service } => (7, service, 0),
            SystemAction::CrashRequestHandler { .. } => (0, 0, 0),
        },
        Action::Kafka(ref a) => match *a {
            KafkaAction::Members { group, count } => (9, group, u64::from(count)),
            KafkaAction::Crash { member } => (10, member, 0),
            KafkaAction::Restart { member } => (11, member, 0),
            KafkaAction::Slow { member, factor } => (12, member, factor.to_bits()),
            KafkaAction::CrashBroker { broker } => (13, broker, 0),
            KafkaAction::RestartBroker { broker } => (14, broker, 0),
            KafkaAction::AddPartitions { topic, partitions } => (15, topic, u64::from(partitions)),
            KafkaAction::SetAcks { producer, acks } => (16, producer, acks as u64),
            KafkaAction::SetCommit { group, commit } => (17, group, commit as u64),
            KafkaAction::Leave { .. }
            | KafkaAction::Pause { .. }
            | KafkaAction::SlowReplication { .. }
            | KafkaAction::SkipNonCritical { .. } => (0, 0, 0),
        },
    }
}

/// "the known ones are a, b" for error messages.
fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() { "there are none".to_string() } else { format!("the known ones are {}", names.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commands read and write the externally tagged JSON form.
    #[test]
    fn commands_round_trip_through_json() {
        let text = r#"[{"at":"1.5s","command":{"set_rate":{"producer":"app","rate":250.0}}},{"at":"2s","command":{"crash_consumer":{"consumer":"worker","instance":1}}}]"#;
        let log = TimedCommand::log_from_json(text).unwrap();
        assert_eq!(log[0].at, Duration(1_500_000_000));
        assert_eq!(serde_json::to_string(&log).unwrap(), text);
    }

    /// A malformed command names the path of the problem.
    #[test]
    fn bad_commands_name_the_path() {
        let err = Command::from_json(r#"{"set_rate": {"producer": "app", "rat": 5}}"#).unwrap_err();
        assert_eq!(err.path, "set_rate.rat");
        let err = Command::from_json(r#"{"explode": {}}"#).unwrap_err();
        assert!(err.message.contains("unknown variant"), "{err}");
        let err = Command::from_json("{").unwrap_err();
        assert!(err.to_string().starts_with("command: not valid JSON"), "{err}");
    }
}
