//! The bundled scenarios from `scenarios/`, compiled into the binary and the
//! wasm so that they work offline and cannot drift from the engine.

use super::{Scenario, ScenarioError};

/// A bundled scenario: its file name (without `.json`) and its JSON text.
pub struct Preset {
    pub name: &'static str,
    pub json: &'static str,
}

macro_rules! presets {
    ($($name:literal),* $(,)?) => {
        &[$(Preset { name: $name, json: include_str!(concat!("../../scenarios/", $name, ".json")) }),*]
    };
}

/// Every preset, in the order the page and `mqsim presets` list them.
pub const PRESETS: &[Preset] = presets![
    "peak-shaving",
    "mmc-erlang-c",
    "consumer-crash-manual-ack",
    "consumer-crash-auto-ack",
    "poison-message-dlq",
    "poison-requeue-forever",
    "retry-backoff",
    "exchange-routing",
    "idempotent-consumer",
    "rocketmq-delay-levels",
    "ttl-expiry",
    "dlq-replay",
    "publisher-confirms-broker-crash",
    "request-reply",
    "nats-core-vs-durable",
    "async-response-time",
    "order-decoupling",
    "order-system",
    "outbox-vs-dual-write",
    "flash-sale-layers",
    "backpressure",
    "saga-choreography",
    "backlog-emergency",
    "queue-vs-log",
    "kafka-acks-leader-crash",
    "kafka-unclean-election",
    "kafka-clean-election",
    "kafka-commit-modes-crash",
    "kafka-rebalance-eager-vs-cooperative",
    "kafka-key-ordering",
    "kafka-producer-retries",
    "kafka-global-order",
    "kafka-idle-consumers",
];

/// The preset called `name`.
pub fn find(name: &str) -> Result<&'static Preset, ScenarioError> {
    PRESETS
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ScenarioError::UnknownPreset { name: name.to_string(), known: names() })
}

/// The preset called `name`, parsed.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_json(find(name)?.json)
}

pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled preset parses and validates, and is named after its file.
    #[test]
    fn every_preset_is_valid() {
        for preset in PRESETS {
            let scenario = Scenario::from_json(preset.json).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
            assert_eq!(scenario.name, preset.name);
        }
    }

    /// Asking for a preset that does not exist lists the ones that do.
    #[test]
    fn unknown_preset_lists_the_known_ones() {
        let err = find("nope").err().unwrap().to_string();
        assert!(err.contains("peak-shaving"), "{err}");
    }
}
