//! Strict JSON reading that names the path of the first problem, shared by
//! scenarios and live commands, and the JSON writer the wasm API uses.
//!
//! It reads in two steps. First the text becomes a `serde_json::Value`,
//! refusing syntax errors (with their line and column) and a key given twice
//! in one object (with its path). Then the typed value is read from that tree
//! by its [`FromJson`] impl (see `read.rs`), which names a wrong type, an
//! unknown field or a missing one by its path
//! (`producers[0].arrivals.poisson.rate`).
//!
//! Why not read the text straight into the types through
//! `serde_path_to_error`, as mqsim first did: that instantiated the JSON
//! parser and the path-tracking wrappers once per type, about a quarter of
//! the wasm module. Here the parser is instantiated once (for `Value`), and
//! nothing of serde's deserialization is instantiated per type at all.
//!
//! One module per job:
//!
//! - `value.rs` — text to a `serde_json::Value`, refusing duplicate keys and
//!   keeping the path of the problem;
//! - `read.rs` — `FromJson`: each type's reader from a list of its fields
//!   (`read_struct!`, `read_enum!`), naming the path of a wrong value;
//! - `write.rs` — the one serializer, for the scenario's pretty text and
//!   everything the wasm API hands to JS;
//! - `num.rs` — floats written as `{}` and `{:.N}` write them, without core's
//!   float formatting (17 KB of the wasm module).

mod num;
pub mod read;
/// JSON Schema from the readers' field lists (native only).
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
mod value;
mod write;

pub use num::{Num, fixed};
pub use read::{FromJson, ReadError};
pub(crate) use read::{read_enum, read_struct};
pub use write::{Compound, Style, WriteError, write};


/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON; `message` has no position (`line` and `column` say it).
    Syntax { line: usize, column: usize, message: String },
    /// Well-formed JSON whose value at `path` ("" for the document) is wrong.
    Invalid { path: String, message: String },
}

/// Reads a `T` from JSON text: one value, with nothing but whitespace after
/// it (trailing text is a syntax error, not silently ignored).
pub fn parse<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::read(&value::parse_value(text)?).map_err(invalid)
}

fn invalid(err: ReadError) -> JsonError {
    let (path, message) = err.into_parts();
    JsonError::Invalid { path, message }
}


#[cfg(test)]
mod tests {
    use super::*;
    use serde::de;
    use serde_json::Value;

    #[derive(Debug)]
    struct Outer {
        #[allow(dead_code)]
        items: Vec<Inner>,
    }

    #[derive(Debug)]
    struct Inner {
        #[allow(dead_code)]
        n: u32,
    }

    read_struct!(Outer { items });
    read_struct!(Inner { n });

    fn invalid(text: &str) -> (String, String) {
        match parse::<Outer>(text).unwrap_err() {
            JsonError::Invalid { path, message } => (path, message),
            other => panic!("{other:?}"),
        }
    }

    /// Wrong types, unknown fields and duplicate keys name their path.
    #[test]
    fn problems_name_their_path() {
        assert_eq!(invalid(r#"{"items": [{"n": 1}, {"n": "x"}]}"#), ("items[1].n".into(), "invalid type: string \"x\", expected u32".into()));
        assert_eq!(invalid(r#"{"items": [{"m": 1}]}"#).0, "items[0].m");
        assert_eq!(invalid(r#"{"items": [{"n": 1, "n": 2}]}"#), ("items[0]".into(), "duplicate field `n`".into()));
        assert_eq!(invalid(r#"{"items": [], "items": []}"#), ("".into(), "duplicate field `items`".into()));
        assert_eq!(invalid(r#"{}"#), ("".into(), "missing field `items`".into()));
    }

    /// Syntax errors carry their position, not a path.
    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse::<Outer>("{\n  \"items\": [\n  oops").unwrap_err();
        assert!(matches!(err, JsonError::Syntax { line: 3, column: 3, .. }), "{err:?}");
        assert!(matches!(parse::<Outer>(r#"{"items": [{"n": 1}"#).unwrap_err(), JsonError::Syntax { .. }));
    }

    /// The writer writes what serde_json writes: pretty for every preset's
    /// scenario, compact for run summaries (Kafka's flattened maps included),
    /// and the corners (escapes, empty containers, number keys, variants).
    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        for preset in crate::scenario::presets::PRESETS {
            let scenario = crate::scenario::Scenario::from_json(preset.json).unwrap();
            assert_eq!(write(&scenario, Style::Pretty).unwrap(), serde_json::to_string_pretty(&scenario).unwrap(), "{}", preset.name);
            assert_eq!(write(&scenario, Style::Js).unwrap(), serde_json::to_string(&scenario).unwrap(), "{}", preset.name);
        }
        for name in ["peak-shaving", "kafka-rebalance-eager-vs-cooperative", "order-decoupling"] {
            let mut sim = crate::engine::Sim::new(crate::scenario::presets::load(name).unwrap()).unwrap();
            sim.run_until(3_000_000_000);
            let summary = crate::summary::Summary::of(&sim);
            assert_eq!(write(&summary, Style::Js).unwrap(), serde_json::to_string(&summary).unwrap(), "{name}");
            let topology = crate::observe::Topology::of(&sim);
            assert_eq!(write(&topology, Style::Pretty).unwrap(), serde_json::to_string_pretty(&topology).unwrap(), "{name}");
            let series = sim.series().since(0);
            assert_eq!(write(&series, Style::Js).unwrap(), serde_json::to_string(&series).unwrap(), "{name}");
        }
        let corners = serde_json::json!({
            "s": "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é☃", "e": [], "o": {}, "n": [1, -2, 1.5, 1e300, 0.1, -0.0],
            "x": [[], {}, [1], {"a": []}], "b": [true, false, null]
        });
        for style in [Style::Pretty, Style::Js] {
            let ours = write(&corners, style).unwrap();
            let theirs = if style == Style::Pretty { serde_json::to_string_pretty(&corners) } else { serde_json::to_string(&corners) };
            assert_eq!(ours, theirs.unwrap());
        }
        let keyed: std::collections::BTreeMap<u32, Option<f64>> = [(1, Some(2.5)), (10, None)].into();
        assert_eq!(write(&keyed, Style::Pretty).unwrap(), serde_json::to_string_pretty(&keyed).unwrap());
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, u8),
            Struct { a: u8 },
            Empty {},
        }
        let enums = vec![E::Unit, E::New(1), E::Tuple(1, 2), E::Struct { a: 1 }, E::Empty {}];
        assert_eq!(write(&enums, Style::Pretty).unwrap(), serde_json::to_string_pretty(&enums).unwrap());
        assert_eq!(write(&enums, Style::Js).unwrap(), serde_json::to_string(&enums).unwrap());
    }

    /// `fixed` writes what `{:.N}` writes.
    #[test]
    fn fixed_writes_what_precision_writes() {
        let mut values = vec![
            0.0, -0.0, 0.25, 0.35, 0.5, 1.5, 2.5, 0.125, 0.0625, -0.0625, 1.005, 2.675, 1e-300, 5e-324, 123.4565, 1e15,
            1e16 + 2.0, 2f64.powi(60), 2f64.powi(74), f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 99.9995, 0.0005, 1e9,
        ];
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Magnitudes a summary has, exact ties among them, and any bits below 2^74.
            values.push((x % 10_000_000) as f64 / [1.0, 8.0, 1000.0, 16384.0][(x >> 62) as usize]);
            let any = f64::from_bits(x >> 1);
            if any.abs() < 2f64.powi(74) {
                values.push(any);
            }
        }
        for v in values {
            for n in [0, 1, 2, 3] {
                assert_eq!(fixed(v, n), format!("{v:.0$}", n as usize), "{v:e} to {n}");
            }
        }
    }

    /// `found` writes what serde's `Unexpected` writes for the value serde_json's
    /// reader for `Value` would have found.
    #[test]
    fn found_writes_what_serde_writes() {
        use de::Unexpected;
        let values: Value = serde_json::json!([
            null, true, false, 7, 0, -7, u64::MAX, i64::MIN, 1.0, -0.0, 1.5, 1e21, 1e300, 5e-324, "a\"b\n", [], [1], {}, {"a": 1}
        ]);
        for value in values.as_array().unwrap() {
            let unexp = match value {
                Value::Null => Unexpected::Unit,
                Value::Bool(b) => Unexpected::Bool(*b),
                Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => Unexpected::Unsigned(u),
                    (None, Some(i)) => Unexpected::Signed(i),
                    _ => Unexpected::Float(n.as_f64().unwrap()),
                },
                Value::String(s) => Unexpected::Str(s),
                Value::Array(_) => Unexpected::Seq,
                Value::Object(_) => Unexpected::Map,
            };
            assert_eq!(read::found(Some(value)), unexp.to_string());
        }
        assert_eq!(read::found(None), Unexpected::UnitVariant.to_string());
    }

    /// `Num` writes what `{}` writes for an f64.
    #[test]
    fn num_writes_what_display_writes() {
        let mut values = vec![
            0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 1.5, 100.0, 123456.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e-5, 1e-7, 1.2345e-7,
            5e-324, f64::MIN_POSITIVE, f64::MAX, f64::MIN, f64::EPSILON, 2.5e10, 1234567890123456789.0, 9007199254740993.0,
            f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e9, 0.5, 2.0f64.powi(60), 1.0 / 3.0, 2.0 / 3.0, 299792458.0,
            1.3085487957268623e15,
        ];
        // Bit patterns from a fixed stream (SplitMix64), all exponents.
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            values.push(f64::from_bits(z));
            // Short decimals too, as scenarios have them.
            values.push((z % 100_000) as f64 / [1.0, 10.0, 100.0, 1000.0, 1e6][(z >> 60) as usize % 5]);
        }
        for v in values {
            assert_eq!(Num(v).to_string(), v.to_string(), "{:e}", v);
        }
        assert_eq!(format!("[{:>6}]", Num(1.5)), "[   1.5]");
    }

    /// For JS, infinities survive as numbers JSON.parse reads back as ±Infinity.
    #[test]
    fn infinities_survive_for_js() {
        assert_eq!(write(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1.0], Style::Js).unwrap(), "[1e999,-1e999,null,1.0]");
        assert_eq!(write(&[f64::INFINITY], Style::Pretty).unwrap(), "[\n  null\n]");
    }
}
