//! Exchanges and bindings: which queues a message published with a routing
//! key and headers reaches.
//!
//! Bindings never change during a run, so every route a producer can take is
//! computed once when the simulation is built (`Route`); publishing a message
//! only looks its route up. Whether an exclusive queue is online is the one
//! thing decided at publish time (see `pubsub.rs`).

use super::routing::{self, HeaderValue, XMatch};
use crate::scenario::{ExchangeKind, Scenario, ScenarioError};

/// An exchange, with its bindings resolved to indices.
pub struct Exchange {
    pub name: String,
    pub kind: ExchangeKind,
    pub bindings: Vec<Binding>,
    pub alternate: Option<u32>,
}

/// One binding of an exchange.
pub struct Binding {
    pub dest: Dest,
    pub key: String,
    pub args: Vec<(String, HeaderValue)>,
    pub x_match: XMatch,
}

/// Where a binding leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dest {
    Queue(u32),
    Exchange(u32),
}

/// Where one (exchange, routing key, headers) combination leads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// The queues that get a copy, each once, in the order routing found them.
    pub queues: Vec<u32>,
    /// Some exchange on the way passed the message to its alternate exchange.
    pub via_alternate: bool,
}

impl Route {
    /// The default exchange's route to queue `q` (by queue name, in AMQP).
    pub fn to_queue(q: u32) -> Route {
        Route { queues: vec![q], via_alternate: false }
    }
}

impl Exchange {
    pub(crate) fn build_all(scenario: &Scenario) -> Result<Vec<Exchange>, ScenarioError> {
        let mut exchanges = Vec::with_capacity(scenario.exchanges.len());
        for (i, spec) in scenario.exchanges.iter().enumerate() {
            let mut bindings = Vec::with_capacity(spec.bindings.len());
            for (j, b) in spec.bindings.iter().enumerate() {
                let path = format!("exchanges[{i}].bindings[{j}]");
                let dest = match (&b.queue, &b.exchange) {
                    (Some(q), _) => Dest::Queue(scenario.queue_index(q, &format!("{path}.queue"))?),
                    (None, Some(x)) => Dest::Exchange(scenario.exchange_index(x, &format!("{path}.exchange"))?),
                    (None, None) => return Err(ScenarioError::invalid(path, "needs a destination")),
                };
                let arguments = b.arguments.clone().unwrap_or_default();
                // RabbitMQ headers exchange: a binding without `x-match` behaves as `all`.
                let x_match = match arguments.get("x-match") {
                    Some(crate::scenario::HeaderArg::String(mode)) => XMatch::parse(mode).unwrap_or_default(),
                    _ => XMatch::All,
                };
                bindings.push(Binding {
                    dest,
                    key: b.key.clone().unwrap_or_default(),
                    args: arguments.iter().map(|(name, value)| (name.clone(), HeaderValue::from(value))).collect(),
                    x_match,
                });
            }
            let alternate = match &spec.alternate_exchange {
                Some(name) => Some(scenario.exchange_index(name, &format!("exchanges[{i}].alternate_exchange"))?),
                None => None,
            };
            exchanges.push(Exchange { name: spec.name.clone(), kind: spec.kind, bindings, alternate });
        }
        Ok(exchanges)
    }

    /// Does binding `b` of this exchange take a message?
    fn takes(&self, b: &Binding, routing_key: &str, headers: &[(String, HeaderValue)]) -> bool {
        match self.kind {
            ExchangeKind::Direct => routing::direct_matches(&b.key, routing_key),
            ExchangeKind::Fanout => routing::fanout_matches(routing_key),
            ExchangeKind::Topic => routing::topic_matches(&b.key, routing_key),
            ExchangeKind::Headers => routing::headers_match(&b.args, b.x_match, headers),
        }
    }
}

/// Routes a message published to exchange `start` with `routing_key` and
/// `headers` through every exchange-to-exchange binding.
///
/// RabbitMQ's rules (`rabbit_exchange:route/2`): exchanges are visited from a
/// work list, and each exchange at most once per message, so a cycle of
/// exchange-to-exchange bindings ends instead of looping; a queue reached
/// along several paths gets one copy. An exchange whose own bindings match
/// nothing passes the message to its alternate exchange (`alternate-exchange`),
/// which counts as routed for the mandatory flag. The message keeps its
/// routing key and headers all the way.
pub fn route(
    exchanges: &[Exchange],
    queue_count: usize,
    start: u32,
    routing_key: &str,
    headers: &[(String, HeaderValue)],
) -> Route {
    let mut seen_exchange = vec![false; exchanges.len()];
    let mut seen_queue = vec![false; queue_count];
    let mut work = std::collections::VecDeque::from([start]);
    seen_exchange[start as usize] = true;
    let mut result = Route::default();
    while let Some(x) = work.pop_front() {
        let exchange = &exchanges[x as usize];
        let mut matched = false;
        for b in exchange.bindings.iter().filter(|b| exchange.takes(b, routing_key, headers)) {
            matched = true;
            match b.dest {
                Dest::Queue(q) => {
                    if !std::mem::replace(&mut seen_queue[q as usize], true) {
                        result.queues.push(q);
                    }
                }
                Dest::Exchange(next) => {
                    if !std::mem::replace(&mut seen_exchange[next as usize], true) {
                        work.push_back(next);
                    }
                }
            }
        }
        if !matched {
            if let Some(alternate) = exchange.alternate {
                if !std::mem::replace(&mut seen_exchange[alternate as usize], true) {
                    result.via_alternate = true;
                    work.push_back(alternate);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(kind: ExchangeKind, bindings: Vec<(Dest, &str)>, alternate: Option<u32>) -> Exchange {
        Exchange {
            name: String::new(),
            kind,
            bindings: bindings
                .into_iter()
                .map(|(dest, key)| Binding { dest, key: key.to_string(), args: Vec::new(), x_match: XMatch::All })
                .collect(),
            alternate,
        }
    }

    /// A cycle of exchange-to-exchange bindings ends, and each queue gets one copy.
    #[test]
    fn exchange_cycles_terminate_with_one_copy_per_queue() {
        let xs = vec![
            exchange(ExchangeKind::Fanout, vec![(Dest::Exchange(1), ""), (Dest::Queue(0), "")], None),
            exchange(
                ExchangeKind::Fanout,
                vec![(Dest::Exchange(0), ""), (Dest::Queue(0), ""), (Dest::Queue(1), "")],
                None,
            ),
        ];
        let r = route(&xs, 2, 0, "k", &[]);
        assert_eq!(r.queues, [0, 1]);
    }

    /// An exchange that matches nothing hands the message to its alternate exchange.
    #[test]
    fn unmatched_messages_go_to_the_alternate_exchange() {
        let xs = vec![
            exchange(ExchangeKind::Direct, vec![(Dest::Queue(0), "a")], Some(1)),
            exchange(ExchangeKind::Fanout, vec![(Dest::Queue(1), "")], Some(0)),
        ];
        assert_eq!(route(&xs, 2, 0, "a", &[]), Route { queues: vec![0], via_alternate: false });
        assert_eq!(route(&xs, 2, 0, "b", &[]), Route { queues: vec![1], via_alternate: true });
    }

    /// Alternate exchanges that point at each other stop after one round.
    #[test]
    fn alternate_exchange_cycles_terminate() {
        let xs = vec![
            exchange(ExchangeKind::Direct, vec![(Dest::Queue(0), "a")], Some(1)),
            exchange(ExchangeKind::Direct, vec![(Dest::Queue(1), "b")], Some(0)),
        ];
        assert!(route(&xs, 2, 0, "c", &[]).queues.is_empty());
    }
}
